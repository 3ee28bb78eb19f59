"""Scheme discovery: named government programmes outside the scheme catalogue, as candidate schemes.

A programme word (योजना, Yojana, Scheme, Mission, Abhiyan, Nidhi, Card, Bhatta, Shivir, कार्यक्रम, परियोजना…) closes
a name; the name is the run of name words before it, up to a function word, a number or punctuation. Mission,
Operation and मिशन may also open a name (मिशन शक्ति, Operation Muskaan). Romanised and English name words must be
capitalised. A name made only of generic words (नई योजना, महंगाई भत्ता, चुनाव अभियान, सांस्कृतिक कार्यक्रम), an
identity or everyday document (राशन कार्ड, रिपोर्ट कार्ड), a commercial or fraudulent "scheme" (Ponzi scheme), a
routine drive named by its activity (वाहन चेकिंग अभियान), a programme word used for a manner of working (मिशन
मोड), a campaign of a party or an offer of a bank, shop or club named just before it (पार्टी ने … गांव चलो अभियान,
SBI's … Scheme), a girl called निधि (बेटी निधि) or a catalogue scheme is not a candidate (the labelling rules:
``docs/schemes.md``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from janmat.core.errors import InputError
from janmat.core.mention import Evidence, Mention, SchemeCandidate, SchemeTag
from nlp.normalize import fold, folded_text
from nlp.schemes import RESOURCE, SchemeTagger, get_scheme_tagger
from nlp.tagger import register_tagger

_TOKEN = re.compile(r"[\w\u0900-\u0963\u0966-\u097F]+(?:[-'’][\w\u0900-\u0963\u0966-\u097F]+)*")
MAX_NAME_WORDS = 7
"""Name words kept before a closing programme word (the longest dev name has 5)."""


def _folded(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


# a programme word that ends a name
_CLOSING = _folded("योजना", "योजन", "yojana", "yojna", "scheme", "स्कीम", "mission", "मिशन", "abhiyan", "अभियान",
                   "nidhi", "निधि", "card", "कार्ड", "bhatta", "भत्ता", "shivir", "शिविर", "कार्यक्रम", "karyakram",
                   "programme", "program", "परियोजना", "pariyojana", "project")
# a programme word that may open a name
_OPENING = _folded("mission", "मिशन", "operation", "ऑपरेशन", "ओपरेशन", "abhiyan")
_PROGRAMME_WORDS = _CLOSING | _OPENING
_CARD = _folded("card", "कार्ड")
_NIDHI = _folded("nidhi", "निधि")
_ENGLISH_CLOSING = _folded("scheme", "programme", "program", "project", "card", "mission")
# words that end a name on its left (postpositions, pronouns, verbs, determiners, conjunctions)
_STOP = _folded(
    "के", "की", "का", "को", "में", "से", "ने", "पर", "तक", "और", "या", "एवं", "व", "तथा", "भी", "है", "हैं", "था",
    "थी", "थे", "हो", "इस", "उस", "यह", "वह", "ये", "वे", "इन", "उन", "एक", "किसी", "कोई", "अपनी", "अपने", "अपना",
    "सरकार", "सरकारी", "तहत", "लिए", "द्वारा", "बाद", "पहले", "अब", "तो", "जो", "जिस", "जिसमें", "कि", "लेकर",
    "इसे", "उसे", "इन्हें", "उन्हें", "जिसे", "इसकी", "इसका", "इसके", "उसकी", "उसका", "उसके", "उनकी", "उनका", "उनके",
    "इनकी", "इनका", "इनके", "जिसकी", "जिसका", "जिसके", "जिनकी", "जिनका", "जिनके",
    "साथ", "दौरान", "बारे", "अंतर्गत", "नाम", "वाली", "वाले", "वाला", "कर", "करने", "किया", "गया", "गई", "रहा",
    "रही", "रहे", "बताया", "कहा", "शुरू", "चल", "लागू", "पूरी", "सभी", "हर", "प्रदेश", "राज्य", "केंद्र",
    "the", "a", "an", "of", "for", "under", "in", "on", "and", "or", "to", "by", "with", "from", "this", "that",
    "its", "their", "his", "her", "new", "yeh", "ye", "is", "us", "ke", "ki", "ka", "ko", "mein", "se", "ne", "par",
    "aur", "tahat", "liye", "wali", "wale", "state", "centre", "center", "government", "govt",
)
# words that alone do not make a programme's name
_GENERIC = _folded(
    "नई", "नया", "नए", "नये", "नयी", "पुरानी", "पुराना", "बड़ी", "बड़ा", "विशेष", "खास", "सरकारी", "अहम", "महत्वाकांक्षी",
    "महत्वपूर्ण", "प्रमुख", "कोई", "सभी", "कई", "सफाई", "जागरूकता", "जनसंपर्क", "संपर्क", "चुनाव", "चुनावी", "प्रचार",
    "सदस्यता", "हस्ताक्षर", "विरोध", "आंदोलन", "बहिष्कार", "धरना", "महंगाई", "मकान", "किराया", "यात्रा", "दैनिक",
    "वेतन", "बोनस", "आवास", "बीमा", "ऋण", "राहत", "कल्याण", "स्वास्थ्य", "शिक्षा", "मेडिकल", "चिकित्सा",
    "new", "old", "special", "big", "major", "flagship", "welfare", "election", "poll", "campaign", "membership",
    "signature", "protest", "dearness", "travel", "house", "rent", "daily", "bonus", "salary", "housing",
    "insurance", "loan", "relief", "health", "education", "medical", "state", "central", "government", "govt",
    "mukhyamantri", "मुख्यमंत्री", "pradhan", "mantri", "प्रधानमंत्री", "cm", "pm", "सीएम", "पीएम",
    # events and ceremonies named by what happens (सांस्कृतिक कार्यक्रम, शपथ ग्रहण कार्यक्रम)
    "सांस्कृतिक", "रंगारंग", "स्वागत", "अभिनंदन", "शपथ", "ग्रहण", "श्रद्धांजलि", "उद्घाटन", "शिलान्यास", "समापन",
    "वार्षिक", "धार्मिक", "cultural", "welcome", "oath", "swearing", "inaugural", "inauguration", "annual",
    # a manner of working: मिशन मोड, Mission Mode
    "मोड", "mode",
)
# a programme word followed by one of these is used for a manner of working (मिशन मोड में), not as a name's word
_MANNER = _folded("मोड", "mode")
# the programme words of a campaign or drive
_CAMPAIGN = _folded("abhiyan", "अभियान", "mission", "मिशन", "shivir", "शिविर", "campaign", "drive")
# a drive named by its activity (police, municipal, court-ordered enforcement) is routine work, not a programme
_DRIVE = _folded("abhiyan", "अभियान", "campaign", "drive")
_DRIVE_ACTIVITY = _folded("चेकिंग", "checking", "धरपकड़", "सीलिंग", "sealing", "अतिक्रमण", "encroachment", "हटाओ",
                          "तोड़फोड़", "demolition", "छापेमारी", "raid", "नाकाबंदी", "तलाशी", "search", "चालान",
                          "challan", "गिरफ्तारी", "सत्यापन", "verification", "सघन")
# a political party named just before a campaign: the party's campaign, not a government programme
_PARTY = _folded("भाजपा", "बीजेपी", "कांग्रेस", "इनेलो", "जजपा", "बसपा", "सपा", "पार्टी", "पार्टियों",
                 "bjp", "congress", "inld", "jjp", "bsp", "party", "parties")
_PARTY_CAPITALS = frozenset({"AAP"})  # written so only as the party: aap, आप are also "you"
# a business or club named just before any programme word: its offer, product or event, not a government programme
_BUSINESS = _folded("बैंक", "bank", "banks", "sbi", "hdfc", "icici", "lic", "कंपनी", "company", "दुकान", "दुकानों",
                    "दुकानदार", "shop", "shops", "store", "stores", "mall", "मॉल", "बिल्डर", "builder", "ज्वेलर्स",
                    "jewellers", "jeweller", "कोचिंग", "coaching", "insurer", "क्लब",
                    "club", "ट्रस्ट", "trust")
_ACTOR_WINDOW = 6
"""Words before a name, within its clause, searched for a party or business that runs it."""
_GENITIVE = _folded("की", "का", "के", "ki", "ka", "ke")
_ERGATIVE = _folded("ने", "ne")
_THAT = _folded("कि", "that")  # a reported clause: भाजपा ने कहा कि … अभियान सफल रहा — the party does not run it
_OWN = _folded("its", "their", "अपना", "अपने", "अपनी", "apna", "apne", "apni")
# after a name, these make it something other than the direct object of the verb of an ergative subject (कांग्रेस ने
# … अभियान की आलोचना की: the party speaks of the campaign, it does not run it)
_POSTPOSITION = _folded("की", "का", "के", "को", "पर", "से", "में", "ki", "ka", "ke", "ko", "par", "se", "mein")
# kinship words and titles before निधि: a woman's name (बेटी निधि, डॉ. निधि), not a fund
_PERSON_BEFORE = _folded("बेटी", "बिटिया", "पुत्री", "बहन", "पत्नी", "भाभी", "मां", "छात्रा", "खिलाड़ी", "शिक्षिका",
                         "श्रीमती", "सुश्री", "कुमारी", "डॉ", "daughter", "sister", "wife", "dr", "ms", "mrs", "miss")
# identity and everyday documents: a card a person holds, not a programme
_DOCUMENT_CARD = _folded("राशन", "आधार", "पैन", "वोटर", "मतदाता", "ड्राइविंग", "एटीएम", "क्रेडिट", "डेबिट", "सिम",
                         "पहचान", "जॉब", "शादी", "निमंत्रण", "ration", "aadhaar", "aadhar", "pan", "voter",
                         "driving", "atm", "credit", "debit", "sim", "identity", "id", "job", "yellow", "red",
                         "green", "report", "score", "visiting", "business", "wedding", "gift", "admit", "boarding",
                         "रिपोर्ट", "विजिटिंग", "गिफ्ट", "एडमिट", "बोर्डिंग", "मेट्रो", "metro", "लाइब्रेरी",
                         "library", "ग्रीन", "येलो", "रेड")
# commercial, sporting or fraudulent schemes and missions that are no government programme
_NOT_PROGRAMME = _folded("ponzi", "pyramid", "chit", "fraud", "investment", "colour", "color", "naming", "marking",
                         "rating", "admission", "impossible", "पोंजी", "चिटफंड", "ठगी", "फर्जी", "एडमिशन",
                         # a coaching batch: Mission IIT, Mission NEET
                         "iit", "neet", "jee", "upsc")
_CHIEF_MINISTER = _folded("मुख्यमंत्री", "सीएम", "cm", "mukhyamantri")
_PRIME_MINISTER = _folded("प्रधानमंत्री", "पीएम", "pm", "pradhanmantri")


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str
    after_break: bool  # punctuation between this token and the one before


def candidate_slug(name: str) -> str:
    """The stable slug of a programme name: its folded words joined by ``-`` (``KALIA Yojana`` → ``kalia-yojana``)."""
    return "-".join(fold(name).split())


class SchemeCandidateFinder:
    """Finds programme names outside the catalogue of ``catalogue`` (a ``SchemeTagger``)."""

    def __init__(self, catalogue: SchemeTagger) -> None:
        self.catalogue = catalogue
        # names and aliases only: a keyword hint (बेरोजगारी भत्ता for Saksham Yuva) does not name the scheme
        self._names = {fold(n): s.id for s in catalogue.schemes.values() for n in s.all_names()}

    def find(self, text: str, title: str | None = None,
             catalogue_tags: list[SchemeTag] | None = None) -> list[SchemeCandidate]:
        """Candidates in a mention's title and text, first in text order, one per slug with all its spans;
        ``catalogue_tags`` are the mention's catalogue schemes (found here when not given)."""
        if not _may_name_programme(text, title):
            return []
        if catalogue_tags is None:
            catalogue_tags = self.catalogue.tag(text, title)
        taken = [(e.field, e.start, e.end) for tag in catalogue_tags for e in tag.evidence]
        found: dict[str, SchemeCandidate] = {}
        for field_name, value in (("title", title), ("text", text)):
            if not value:
                continue
            for start, end in self._spans(value):
                name = value[start:end]
                if self.in_catalogue(name) or any(f == field_name and s <= start and end <= e for f, s, e in taken):
                    continue
                slug = candidate_slug(name)
                evidence = Evidence(field=field_name, start=start, end=end, text=name)
                if slug in found:
                    found[slug].evidence.append(evidence)
                else:
                    found[slug] = SchemeCandidate(name=name, slug=slug, evidence=[evidence])
        return list(found.values())

    def _spans(self, value: str) -> list[tuple[int, int]]:
        keys = list(map(_fold_token, _TOKEN.findall(value)))
        programme_words = [i for i, key in enumerate(keys) if key in _PROGRAMME_WORDS]
        if not programme_words:  # most texts: no token objects at all
            return []
        matches = list(_TOKEN.finditer(value))
        spans: list[tuple[int, int]] = []
        for i in programme_words:
            # the words a name can take around its programme word, and the clause before it that may say who
            # runs it: tokens are made for these only
            low = max(0, i - MAX_NAME_WORDS - 1 - _ACTOR_WINDOW)
            tokens = [_token(value, matches, keys, j) for j in range(low, min(len(keys), i + 4))]
            at = i - low
            if at + 1 < len(tokens) and tokens[at + 1].key in _MANNER and not tokens[at + 1].after_break:
                continue  # मिशन मोड में, in Mission Mode: a manner of working
            if keys[i] in _CLOSING:
                first = _name_start(tokens, at)
                if first is not None and _is_programme(tokens[first:at + 1], tokens[first:at]) \
                        and not _run_by_others(tokens, first, at, keys[i]):
                    spans.append((tokens[first].start, tokens[at].end))
            if keys[i] in _OPENING:
                last = _name_end(tokens, at)
                if last is not None and _is_programme(tokens[at:last + 1], tokens[at + 1:last + 1]) \
                        and not _run_by_others(tokens, at, last, keys[i]):
                    spans.append((tokens[at].start, tokens[last].end))
        # a name inside a longer one (ई-पंचायत मिशन in ई-पंचायत मिशन मोड परियोजना) is the longer one's
        return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]

    def in_catalogue(self, name: str) -> bool:
        """The name is a catalogue scheme's, alone or after the title of the government that runs it."""
        if self._lookup(fold(name)):
            return True
        words = fold(name).split(maxsplit=1)
        if len(words) < 2:
            return False
        level = "haryana" if words[0] in _CHIEF_MINISTER else "central" if words[0] in _PRIME_MINISTER else None
        found = self._lookup(words[1]) if level else None
        return bool(found) and self.catalogue.schemes[found].level == level

    def _lookup(self, key: str) -> str | None:
        """The catalogue id of a folded name, with or without its closing programme word."""
        words = key.split()
        bare = " ".join(words[:-1]) if len(words) > 1 and words[-1] in _CLOSING else key
        return self._names.get(key) or self._names.get(bare) or self._names.get(f"{bare} {fold('योजना')}") \
            or self._names.get(f"{bare} yojana")


def _may_name_programme(text: str, title: str | None) -> bool:
    """False when no token of the title or text can fold to a programme word: none of them is even a part of
    the fold of the whole mention, which the other rule taggers have already made (``folded_text``). A token's
    fold is a part of its text's fold, as every folding rule reads within a token or a run of non-word
    characters. Most mentions stop here, before a fold of each of their tokens."""
    folded = folded_text(f"{title}\n{text}" if title else text).text
    return any(word in folded for word in _PROGRAMME_WORD_LIST)


_PROGRAMME_WORD_LIST = tuple(sorted(_PROGRAMME_WORDS))


@lru_cache(maxsize=1 << 16)
def _fold_token(word: str) -> str:
    """``fold`` of one token, cached: the words of news prose repeat, and a fold per token per mention was this
    tagger's main cost."""
    return fold(word)


def _token(value: str, matches: list[re.Match[str]], keys: list[str], j: int) -> _Token:
    """Token ``j`` of a text from its word matches and folded keys."""
    match = matches[j]
    after_break = j == 0 or bool(value[matches[j - 1].end():match.start()].strip())
    return _Token(match.start(), match.end(), match.group(), keys[j], after_break)


def _is_name_word(token: _Token) -> bool:
    if token.key in _STOP or not token.key or any(ch.isdigit() for ch in token.text):
        return False
    if "'" in token.text or "’" in token.text:  # a possessive: Haryana's, centre's
        return False
    latin = token.text[0].isascii()
    return not latin or token.text[0].isupper()


def _name_start(tokens: list[_Token], close: int) -> int | None:
    """Index of the first name word before the closing word at ``close``; None when there is none."""
    closing = tokens[close]
    if closing.text[0].isascii() and closing.key not in _ENGLISH_CLOSING and not closing.text[0].isupper():
        return None  # a romanised programme word is written as part of a name: Yojana, Abhiyan
    if closing.key in _NIDHI and close + 1 < len(tokens) and not tokens[close + 1].after_break \
            and tokens[close + 1].key not in _STOP and tokens[close + 1].key not in _CLOSING:
        return None  # निधि शर्मा: a person's name
    if closing.key in _NIDHI and close > 0 and tokens[close - 1].key in _PERSON_BEFORE:
        return None  # बेटी निधि, डॉ. निधि: a woman's name
    first = close
    while first > 0 and close - first < MAX_NAME_WORDS and not tokens[first].after_break \
            and _is_name_word(tokens[first - 1]):
        first -= 1
    return first if first < close else None


def _name_end(tokens: list[_Token], opening: int) -> int | None:
    """Index of the last name word after an opening programme word (at most two words); None when there is none."""
    last = opening
    while last + 1 < len(tokens) and last - opening < 2 and not tokens[last + 1].after_break \
            and _is_name_word(tokens[last + 1]) and tokens[last + 1].key not in _CLOSING:
        last += 1
    return last if last > opening else None


def _is_programme(tokens: list[_Token], name_words: list[_Token]) -> bool:
    """Whether a name (``tokens``, its programme word included) names a programme by its other ``name_words``."""
    keys = [t.key for t in tokens]
    own = [t.key for t in name_words]
    if not own or all(k in _GENERIC for k in own) or any(k in _NOT_PROGRAMME for k in keys):
        return False
    if keys[-1] in _DRIVE and any(k in _DRIVE_ACTIVITY for k in own):
        return False  # वाहन चेकिंग अभियान: a routine drive named by what it does
    return not (keys[-1] in _CARD and len(own) == 1 and own[0] in _DOCUMENT_CARD)


def _run_by_others(tokens: list[_Token], first: int, last: int, programme_key: str) -> bool:
    """Whether a business or club (any programme word), or a political party (a campaign word), runs the name at
    ``tokens[first:last + 1]``: it owns it (SBI's … Scheme, ज्वेलर्स की … स्कीम, The JJP launched its … Abhiyan) or is
    the ergative subject whose direct object the name is (रोटरी क्लब ने रविवार को रक्तदान शिविर लगाया)."""
    actors = (_BUSINESS | _PARTY) if programme_key in _CAMPAIGN else _BUSINESS

    def actor(token: _Token) -> bool:
        if programme_key in _CAMPAIGN and token.text.split("'")[0] in _PARTY_CAPITALS:
            return True
        return token.key in actors or bool(set(token.key.split()) & actors)  # SBI's folds to "sbi s"

    if first == 0 or tokens[first].after_break:
        return False
    before = tokens[first - 1]
    if before.text.endswith(("'s", "’s")) and actor(before):
        return True
    if before.key in _GENITIVE and first > 1 and not before.after_break and actor(tokens[first - 2]):
        return True
    after = tokens[last + 1] if last + 1 < len(tokens) and not tokens[last + 1].after_break else None
    direct_object = after is None or after.key not in _POSTPOSITION
    j = first - 1
    while j > 0 and first - j <= _ACTOR_WINDOW and not tokens[j].after_break and tokens[j].key not in _THAT:
        if before.key in _OWN and actor(tokens[j - 1]):
            return True
        if direct_object and tokens[j].key in _ERGATIVE and actor(tokens[j - 1]):
            return True
        j -= 1
    return False


@lru_cache(maxsize=1)
def get_candidate_finder() -> SchemeCandidateFinder:
    """The process-wide finder over the shipped catalogue."""
    return SchemeCandidateFinder(get_scheme_tagger())


def promote(slug: str, names: list[str], *, display_name: str | None = None, level: str = "other",
            catalogue: Path = RESOURCE) -> dict[str, Any]:
    """Write a candidate into the catalogue data file as a scheme (id: the slug with ``_``), every name it was
    written with an exact alias; returns the new entry. The tagger sees it from its next start."""
    if not names and not display_name:
        raise InputError(f"no candidate scheme '{slug}' is stored: give its name with --name")
    document = json.loads(catalogue.read_text(encoding="utf-8"))
    scheme_id = slug.replace("-", "_")
    if any(entry["id"] == scheme_id for entry in document["schemes"]):
        raise InputError(f"scheme '{scheme_id}' is already in the catalogue ({catalogue})")
    written = list(dict.fromkeys([*names, *([display_name] if display_name else [])]))
    latin = [n for n in written if n.isascii()]
    entry = {"id": scheme_id, "name_en": display_name or (latin[0] if latin else written[0]),
             "name_hi": next((n for n in written if not n.isascii()), written[0]), "level": level,
             "ministry": "", "kind": "scheme", "aliases": [{"text": n, "rule": "exact"} for n in written],
             "keyword_hints": [], "extra_cues": [], "promoted_from": slug}
    document["schemes"].append(entry)
    partial = catalogue.with_suffix(".json.partial")
    partial.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(catalogue)  # a reader never sees half a file
    get_scheme_tagger.cache_clear()
    get_candidate_finder.cache_clear()
    return entry


@register_tagger("scheme_candidates")
class SchemeCandidatesComponent:
    """Sets ``scheme_candidates``; reads ``schemes`` so that a catalogue scheme is never also a candidate."""

    assigns: ClassVar[tuple[str, ...]] = ("scheme_candidates",)
    requires: ClassVar[tuple[str, ...]] = ("schemes",)

    def __init__(self) -> None:
        self.finder = get_candidate_finder()

    def tag_many(self, mentions: list[Mention]) -> None:
        """Find each mention's candidate schemes."""
        find = self.finder.find
        for mention in mentions:
            mention.scheme_candidates = find(mention.text, mention.title, mention.schemes)

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``scheme_candidates``: each candidate's name as written and its slug."""
        return {"scheme_candidates": [{"name": c.name, "slug": c.slug} for c in mention.scheme_candidates]}
