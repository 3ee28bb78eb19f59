"""Misinformation: does a mention restate a known false claim, read like a rumour forward, or debunk one?

Three kinds of signal, one tagger (``misinformation``):

- ``matched``: the mention restates a known claim (``nlp.claims``: a ``ClaimMatcher`` over the claims a
  ``ClaimSource`` gives; none by default);
- ``suspected``: it reads like a viral forward (``nlp.rumour``: forward requests, calls to a group, "सरकार ने बंद
  कर दी", promises of money, fake recruitment notices);
- ``debunk``: it is itself a fact-check or rebuttal, read from the cues below.

``flagged`` is true for any kind. Debunk cues are phrases, weighted: a fact-check or
"fake news" phrase, a rumour (अफवाह), a claim called false (``दावा … गलत``) or a doctored video is enough on its
own; words that only hint ("viral", "fake", फर्जी) need a second cue. "Fake" about something else — a fake
degree, a fake encounter, fake currency, a fraudster posing as an officer — is fraud, not misinformation, and
counts for nothing. The debunk kind fires at a score of 1.

All matching runs on ``nlp.normalize.fold`` output, so nukta, chandrabindu and case do not matter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import ahocorasick

from janmat.core.mention import MatchedClaim, Mention, Misinformation, MisinformationKind
from nlp.automaton import iter_matches
from nlp.claims.dataset import read_jsonl
from nlp.claims.matcher import ClaimMatcher
from nlp.claims.model import Claim, ClaimSource, InMemoryClaims
from nlp.normalize import FoldedText, fold, folded_text
from nlp.rumour import CueTally, find_cues, sentence_windows, weigh
from nlp.tagger import register_tagger

THRESHOLD = 1.0


def _phrases(*items: str) -> str:
    return "|".join(re.escape(fold(item)).replace(r"\ ", " ") for item in items)


# (name, weight, pattern over folded text). Folded text is lower-case words separated by single spaces.
_CLAIM_WORDS = _phrases("खबर", "खबरें", "न्यूज", "दावा", "दावे", "दावों", "मैसेज", "संदेश", "वीडियो", "पोस्ट",
                        "वेबसाइट", "साइट", "लिंक", "नोटिस", "पत्र", "लेटर", "आदेश", "फोटो", "तस्वीर", "तस्वीरें",
                        "ट्वीट", "जानकारी", "सूचना", "ऑडियो", "स्क्रीनशॉट", "अकाउंट")
_CLAIM_WORDS_EN = _phrases("news", "claim", "claims", "message", "messages", "video", "videos", "post", "posts",
                           "website", "websites", "site", "link", "links", "notice", "letter", "order", "photo",
                           "photos", "image", "images", "tweet", "tweets", "account", "accounts", "audio",
                           "screenshot", "information", "circular", "notification")
_FALSE_WORDS = _phrases("गलत", "झूठा", "झूठी", "झूठे", "फर्जी", "फेक", "भ्रामक", "असत्य", "बेबुनियाद", "निराधार")
_SENTENCE = r"[^।.!?\n]{0,120}"
# word boundaries on folded text: Python's \b fails after a Devanagari vowel sign, which is not a "word" character
_B0 = r"(?<![^ \n])"
_B1 = r"(?![^ \n])"
_SENTENCE_SPLIT = re.compile(r"[।!?\n|]+|\.\s")

def _words_of(*items: str) -> str:
    """A pattern matching any of the phrases as whole words of folded text."""
    return rf"{_B0}(?:{_phrases(*items)}){_B1}"


_FACTCHECK = ("fact check", "factcheck", "fact checking", "फैक्ट चेक", "फैक्टचेक", "फैक्ट-चेक", "तथ्य जांच",
              "पीआईबी फैक्ट", "pib fact", "boom live", "alt news", "vishvas news", "विश्वास न्यूज", "newschecker",
              "न्यूजचेकर")
_FAKE_NEWS = ("fake news", "false news", "फेक न्यूज", "फर्जी खबर", "फर्जी खबरें", "फर्जी न्यूज", "झूठी खबर",
              "झूठी खबरें", "भ्रामक खबर", "भ्रामक खबरें")
_RUMOUR = ("अफवाह", "अफवाहें", "अफवाहों", "rumour", "rumours", "rumor", "rumors", "hoax")
_MISINFORMATION = ("misinformation", "disinformation", "गलत सूचना", "debunk", "debunked", "debunks")
_FALSE_CLAIM = ("false claim", "false claims", "falsely claim", "falsely claiming", "falsely claimed", "falsely",
                "झूठा दावा", "झूठे दावे", "फर्जी दावा", "फर्जी दावे", "भ्रामक दावा", "भ्रामक दावे", "गलत दावा",
                "गलत दावे")
_DOCTORED = ("doctored", "morphed", "digitally altered", "edited video", "photoshopped", "एडिटेड वीडियो",
             "एडिट किया", "छेड़छाड़ की गई", "मॉर्फ")
_LIE_SPREAD = ("झूठ फैला", "झूठ फैलाया", "झूठ फैलाने", "lies spread", "spreading lies")
_FAKE_WORDS = ("फर्जी", "फेक", "fake", "false", "झूठा", "झूठी", "झूठे")
_VIRAL = ("वायरल", "viral", "सोशल मीडिया", "social media", "व्हाट्सएप", "whatsapp")
_CHECK_TRUTH = ("सच्चाई", "पड़ताल", "सच क्या", "truth", "verified", "verify", "fact")
_PROPAGANDA = ("दुष्प्रचार", "propaganda", "भ्रम फैला", "गुमराह")
_FALSE_WORD = ("फर्जी", "फेक", "fake", "भ्रामक", "misleading", "झूठ", "झूठा", "झूठी", "false")
_CALLED_FALSE = (
    rf"{_B0}(?:दावा|दावे|दावों){_SENTENCE}{_B0}(?:{_FALSE_WORDS}){_B1}"
    rf"|{_B0}(?:{_FALSE_WORDS}) (?:है|हैं|था|थे|निकला|निकली|साबित){_B1}{_SENTENCE}{_B0}दाव"
)
_MISLEADING = (rf"{_B0}(?:{_phrases('भ्रामक')}) (?:रूप|तरीके|ढंग|{_CLAIM_WORDS}){_B1}"
               rf"|{_B0}misleading (?:{_CLAIM_WORDS_EN}){_B1}")

# (name, weight, pattern over folded text), strongest first
_CUE_TABLE: tuple[tuple[str, float, str], ...] = (
    ("factcheck", 1.0, _words_of(*_FACTCHECK)),
    ("fake-news", 1.0, _words_of(*_FAKE_NEWS)),
    ("rumour", 1.0, _words_of(*_RUMOUR)),
    ("misinformation", 1.0, _words_of(*_MISINFORMATION)),
    ("false-claim", 1.0, _words_of(*_FALSE_CLAIM)),
    # a claim called false is a fact-check only with a second cue: alone it is usually a politician's rebuttal
    ("claim-called-false", 0.75, _CALLED_FALSE),
    ("doctored", 1.0, _words_of(*_DOCTORED)),
    ("misleading-spread", 1.0, _MISLEADING),
    ("lie-spread", 1.0, rf"{_B0}(?:{_phrases(*_LIE_SPREAD)})"),
    ("fake-item", 1.0, rf"{_B0}(?:{_phrases(*_FAKE_WORDS)}) (?:{_CLAIM_WORDS}|{_CLAIM_WORDS_EN}){_B1}"),
    ("viral", 0.5, _words_of(*_VIRAL)),
    ("check-truth", 0.5, _words_of(*_CHECK_TRUTH)),
    ("propaganda", 0.5, rf"{_B0}(?:{_phrases(*_PROPAGANDA)})"),
    ("false-word", 0.5, _words_of(*_FALSE_WORD)),
)
CUE_WEIGHTS = {name: weight for name, weight, _ in _CUE_TABLE}
# one alternation, read in one pass; a stretch of text counts for the first (strongest) cue that matches it
_CUES = re.compile("|".join(f"(?P<{name.replace('-', '_')}>{pattern})" for name, _, pattern in _CUE_TABLE))
# "Fake" that is fraud or crime, not a false claim: these spans are blanked before the cues are read.
_FRAUD_OBJECTS = (
    "डिग्री", "डिग्रियां", "degree", "degrees", "एनकाउंटर", "encounter", "मुठभेड़", "दस्तावेज", "दस्तावेजों",
    "documents", "document", "कंपनी", "company", "कॉल", "call", "calls", "कॉल सेंटर", "अधिकारी", "officer",
    "officers", "पुलिस", "police", "नोट", "notes", "currency", "करेंसी", "मार्कशीट", "सर्टिफिकेट", "certificate",
    "certificates", "प्रमाण पत्र", "राशन कार्ड", "आधार", "aadhaar", "बिल", "bill", "bills", "सिम", "sim",
    "नियुक्ति", "भर्ती", "recruitment", "टीचर", "teacher", "teachers", "डॉक्टर", "doctor", "doctors", "वोट",
    "वोटर", "voters", "votes", "मतदान", "पासपोर्ट", "passport", "वीजा", "visa", "लाभार्थी", "beneficiaries",
    "रजिस्ट्री", "जीएसटी", "gst", "फर्म", "firm", "firms", "बीज", "seeds", "खाद", "दवा", "दवाई", "medicine",
    "medicines", "ghee", "घी", "पनीर", "मावा",
)
_FRAUD = re.compile(
    rf"{_B0}(?:{_phrases('फर्जी', 'फेक', 'fake', 'नकली', 'counterfeit', 'bogus')}) (?:{_phrases(*_FRAUD_OBJECTS)}){_B1}")


# Every cue above starts with one of these stems; a text with none of them is skipped after one scan (an
# Aho-Corasick automaton over the folded stems: a regex alternation of 60 words tries each at every position).
_CUE_STEMS = tuple(fold(stem) for stem in (
    "fact", "फैक्ट", "तथ्य", "पीआईबी", "pib", "boom", "alt news", "vishvas", "विश्वास न्यूज", "newschecker",
    "न्यूजचेकर", "fake", "फेक", "फर्जी", "झूठ", "भ्रामक", "अफवाह", "अफ़वाह", "rumo", "hoax", "misinformation",
    "disinformation", "गलत सूचना", "debunk", "false", "दावा", "दावे", "दावों", "doctored", "morphed",
    "digitally", "edited", "photoshop", "एडिट", "छेड़छाड़", "मॉर्फ", "misleading", "lies", "वायरल", "viral",
    "सोशल मीडिया", "social media", "व्हाट्सएप", "whatsapp", "सच", "पड़ताल", "truth", "verif", "दुष्प्रचार",
    "propaganda", "भ्रम", "गुमराह",
))
_ANY_CUE = ahocorasick.Automaton()
for _stem in _CUE_STEMS:
    _ANY_CUE.add_word(_stem, _stem)
_ANY_CUE.make_automaton()


def _has_cue(text: str) -> bool:
    """Whether a folded text holds a cue stem."""
    return next(iter_matches(_ANY_CUE, text), None) is not None


class MisinformationTagger:
    """Weighs a text's debunk cues and rumour cues and fills ``Misinformation`` (claims are matched by the
    component, which holds the claims)."""

    def tag(self, text: str, title: str | None = None) -> Misinformation:
        """The debunk and suspected signals for one mention (a long text is read a window at a time)."""
        full = f"{title}\n{text}" if title else text
        debunk = _Debunk()
        tally = CueTally()
        whole = folded_text(full)
        for start, end in sentence_windows(full):
            folded = whole.part(start, end)
            debunk.read(folded)
            tally.base = start
            find_cues(folded.original, folded, tally)
        rumour = weigh(tally)
        kinds: list[MisinformationKind] = []
        if rumour.suspected:
            kinds.append("suspected")
        if debunk.score >= THRESHOLD:
            kinds.append("debunk")
        return Misinformation(flagged=bool(kinds), score=round(min(1.0, max(debunk.score, rumour.score) / 2), 3),
                              flags=debunk.flags + [f"suspected:{cue}" for cue in rumour.cues], kinds=kinds)

    def debunk_cues(self, full: str) -> tuple[float, list[str]]:
        """The debunk score of a text and the cues that fired, each as ``name:text as written``."""
        debunk = _Debunk()
        whole = folded_text(full)
        for start, end in sentence_windows(full):
            debunk.read(whole.part(start, end))
        return debunk.score, debunk.flags


class _Debunk:
    """The debunk cues of a text read window by window: each cue counts once, at its first place."""

    def __init__(self) -> None:
        self.score = 0.0
        self.flags: list[str] = []
        self._seen: set[str] = set()

    def read(self, folded: FoldedText) -> None:
        """Add the cues of one window (its fold)."""
        if not _has_cue(folded.text):
            return
        for offset, sentence in _cue_sentences(folded):
            for found in _CUES.finditer(_FRAUD.sub(_blank, sentence)):
                name = found.lastgroup.replace("_", "-")
                if name in self._seen:
                    continue
                self._seen.add(name)
                self.score += CUE_WEIGHTS[name]
                ostart, oend = folded.to_original(offset + found.start(), offset + found.end())
                self.flags.append(f"{name}:{folded.original[ostart:oend][:40]}")


def _cue_sentences(folded: FoldedText) -> list[tuple[int, str]]:
    """The folded sentences that hold a cue stem, with their offsets: cues such as "दावा … गलत" stay in one
    sentence, and sentences without any cue are not read again."""
    text = folded.text
    cuts = [0]
    for end in _SENTENCE_SPLIT.finditer(folded.original):
        cut = folded.to_folded(end.start())
        if cuts[-1] < cut < len(text):
            cuts.append(cut)
    cuts.append(len(text))
    return [(start, sentence) for start, end in pairwise(cuts) if _has_cue(sentence := text[start:end])]


def _blank(found: re.Match[str]) -> str:
    return " " * len(found.group(0))


@lru_cache(maxsize=1)
def get_misinformation_tagger() -> MisinformationTagger:
    """The process-wide misinformation tagger."""
    return MisinformationTagger()


def claim_source(claims: ClaimSource | str | Path | None) -> ClaimSource:
    """A claim source from a tagger option: a source as it is, a JSON-lines file of claims (``id``, ``text``,
    ``status``, ``url``, optional ``lang``, ``schemes``, ``districts``), or none (an empty in-memory list)."""
    if claims is None:
        return InMemoryClaims()
    if isinstance(claims, str | Path):
        return InMemoryClaims(Claim.from_row(row) for row in read_jsonl(Path(claims)))
    return claims


@register_tagger("misinformation")
class MisinformationComponent:
    """Sets ``misinformation``: claims matched from its ``ClaimSource``, rumour cues and debunk cues. A fact-check
    matched earlier (by a collector) is kept and flags it."""

    assigns: ClassVar[tuple[str, ...]] = ("misinformation",)
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self, claims: ClaimSource | str | None = None, threshold: float | None = None) -> None:
        """``claims``: where the known claims come from (a ``ClaimSource`` or a JSON-lines file; none by default);
        ``threshold``: the matcher's operating threshold, default the trained scorer's."""
        self.tagger = get_misinformation_tagger()
        self.claims = claim_source(claims)
        self.matcher = ClaimMatcher.from_source(self.claims, threshold=threshold)

    def tag_many(self, mentions: list[Mention]) -> None:
        """Match each mention to the known claims and weigh its rumour and debunk cues."""
        self.matcher.refresh()
        for mention in mentions:
            found = self.tagger.tag(mention.text, mention.title)
            if len(self.matcher):
                self._match(mention, found)
            found.matched_factcheck = mention.misinformation.matched_factcheck
            if found.matched_factcheck is not None:
                found.flagged = True
            mention.misinformation = found

    def _match(self, mention: Mention, found: Misinformation) -> None:
        matches = self.matcher.match(mention.full_text(), mention.scheme_ids, mention.tagged_district_keys)
        for match in matches:
            claim = self.matcher.claim(match.claim_id)
            found.matched_claims.append(MatchedClaim(claim_id=match.claim_id, score=match.score,
                                                     url=claim.url if claim else None,
                                                     status=claim.status if claim else None))
            found.flags.append(f"claim:{match.claim_id}")
        if matches:
            found.kinds.insert(0, "matched")
            found.flagged = True
            found.score = max(found.score, matches[0].score)

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``misinformation`` (any kind), ``misinformation_kinds`` and ``matched_claims`` (claim id and score)."""
        found = mention.misinformation
        return {"misinformation": found.flagged, "misinformation_kinds": list(found.kinds),
                "matched_claims": [{"claim_id": match.claim_id, "score": match.score}
                                   for match in found.matched_claims]}
