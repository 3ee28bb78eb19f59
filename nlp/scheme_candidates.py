"""Scheme discovery: named government programmes outside the scheme catalogue, as candidate schemes.

A programme word (योजना, Yojana, Scheme, Mission, Abhiyan, Nidhi, Card, Bhatta, Allowance, Shivir, camp, कार्यक्रम,
परियोजना…) closes a name; the name is the run of name words before it, up to a function word (postposition,
pronoun, determiner, conjunction, verb form, quantity, an office such as विभाग), a number, punctuation or a line
break. Mission, Operation and मिशन may also open a name at the start of a phrase (मिशन शक्ति, Operation Muskaan), up
to an oblique plural noun (बच्चों). A name in quote marks right before its programme word is one (‘अर्न वाइल लर्न’
योजना). Romanised and English name words must be capitalised (but for a few lower-case words of a sentence-case
English name: Water Bill settlement camp; and a lower-case yojana after an acronym or two capitalised words: OTS
yojana, Amrit Bharat Station yojana); hashtags and handles are no name words.
A name made only of generic words
(नई योजना, महंगाई भत्ता, चुनाव अभियान, सांस्कृतिक कार्यक्रम) or of a scope alone (राष्ट्रीय मिशन), an identity or
everyday document (राशन कार्ड, रिपोर्ट कार्ड), an employee's pay (जोखिम भत्ता), a works project (मेट्रो परियोजना), a
commercial or fraudulent "scheme" (Ponzi scheme), a routine or military drive (वाहन चेकिंग अभियान, सैन्य अभियान,
an Operation in a sentence about the army), a programme word in another sense (मिशन मोड, योजना बनाना), a campaign of
a party or an offer or camp of a bank, shop, club or society named just before it or of its agent (पार्टी ने … गांव
चलो अभियान, SBI's … Scheme, एजेंट ने … योजना की पॉलिसी बेची, … की ओर से लगाए गए शिविर, run by a private academy), a
name a fact check denies (… नाम की कोई योजना नहीं; a claim, then ऐसी कोई योजना नहीं), the title of a film or course
(फिल्म ‘मिशन मंगल’, the trailer of 'Operation X', … naam ka crash course), a war's or an evacuation's Operation, a
girl called निधि or योजना (बेटी निधि, योजना शर्मा), a drive named only by its activity (टीकाकरण अभियान), an event
(शाम सांस्कृतिक कार्यक्रम), a project with its cost before it (85 करोड़ रुपये की … परियोजना), a quoted name a fact
check calls fake or a catalogue scheme, also written another way (Haryana Dayalu Yojana), is not a candidate; a
Haryana scheme's name after another state's possessive is that state's programme, a candidate (the labelling rules:
``docs/schemes.md``). The word lists live in ``nlp.scheme_candidate_words``; this module reads tokens and context.
A name the rules find is then scored by a trained model (``nlp.scheme_candidate_scorer``) that drops look-alikes no
rule names; ``get_candidate_finder`` gives the finder with the shipped scorer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import ahocorasick

from janmat.core.errors import InputError
from janmat.core.mention import Evidence, Mention, SchemeCandidate, SchemeTag
from nlp import scheme_candidate_words as vocab
from nlp.automaton import iter_matches
from nlp.gazetteer import load_gazetteer
from nlp.normalize import fold, folded_text
from nlp.scheme_candidate_scorer import CandidateScorer, get_candidate_scorer
from nlp.schemes import RESOURCE, SchemeTagger, another_state_before, get_scheme_tagger
from nlp.tagger import register_tagger

_TOKEN = re.compile(r"[\w\u0900-\u0963\u0966-\u097F]+(?:[-'’][\w\u0900-\u0963\u0966-\u097F]+)*")
_SENTENCE_END = re.compile(r"[.!?।|\n]")
MAX_NAME_WORDS = 7
"""Name words kept before a closing programme word (the longest dev name has 5)."""
_AFTER = 12
"""Tokens read from a programme word on: an opening name (two words) and what follows it in its clause (नाम का …,
नाम की कोई योजना नहीं, … योजना की दो पॉलिसी बेचीं)."""


_LOWER_WORDS = 2
"""Lower-case words a sentence-case English name may hold before its programme word (Ration Card correction camp);
more is a sentence run into a capitalised word (Acre limit anymore pension scheme)."""

_ACTOR_WINDOW = 10
"""Words before a name, within its clause, searched for a party or business that runs it (रोटरी क्लब ने पुराने बस अड्डे
के पास वाले पार्क में … शिविर लगाया: a place between them)."""


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str
    after_break: bool  # punctuation or a line break between this token and the one before
    tag: bool  # a hashtag or a handle (#Modi, @AAP): a topic or an address, never a word of a name
    marks: str  # the quote marks when the break before this token is only quote marks (सर्राफ की 'गोल्ड … स्कीम')

    @property
    def quoted(self) -> bool:
        """The break before this token is only quote marks ('X Yojana' नाम की, ‘अर्न वाइल लर्न’ योजना)."""
        return bool(self.marks)


def candidate_slug(name: str) -> str:
    """The stable slug of a programme name: its folded words joined by ``-`` (``KALIA Yojana`` → ``kalia-yojana``)."""
    return "-".join(fold(name).split())


class SchemeCandidateFinder:
    """Finds programme names outside the catalogue of ``catalogue`` (a ``SchemeTagger``)."""

    def __init__(self, catalogue: SchemeTagger, scorer: CandidateScorer | None = None) -> None:
        self.catalogue = catalogue
        # the rules find a name; the trained scorer drops the look-alikes no rule names (nlp.scheme_candidate_scorer);
        # without one the finder gives what the rules alone find
        self.scorer = scorer
        # names and aliases only: a keyword hint (बेरोजगारी भत्ता for Saksham Yuva) does not name the scheme
        self._names = {fold(n): s.id for s in catalogue.schemes.values() for n in s.all_names()}
        for key, ids in catalogue.shared_names().items():  # PM Awas Yojana: rural or urban, a catalogue name
            self._names.setdefault(key, ids[0])
        # the words of each scheme's names, without programme words and titles: a candidate made only of a tagged
        # scheme's words (Haryana Dayalu Yojana, जन आरोग्य योजना beside आयुष्मान भारत) is that scheme
        self._name_words = {s.id: frozenset(w for n in s.all_names() for w in fold(n).split()) - vocab.PROGRAMME_WORDS
                            for s in catalogue.schemes.values()}
        # how many schemes' names hold a word: one word alone says which scheme only when it is its own (दयालु,
        # not रोजगार: प्रधानमंत्री रोजगार योजना is another programme than PMEGP's रोजगार सृजन कार्यक्रम)
        self._word_schemes = Counter(w for words in self._name_words.values() for w in words)

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
        denied: set[str] = set()
        for field_name, value in (("title", title), ("text", text)):
            if not value:
                continue
            for start, end in self._spans(value, denied):
                name = value[start:end]
                if (self.in_catalogue(name) and not self._another_states(name, value[:start])) \
                        or self._ends_in_catalogue(name) \
                        or (self._of_tagged_scheme(name, catalogue_tags) and not another_state_before(value[:start])) \
                        or any(f == field_name and ((s <= start and end <= e) or s < start < e or start < s < end < e)
                               for f, s, e in taken):
                    continue  # a catalogue name, inside one or running into or on from one (मेरी विरासत फसल …
                    # योजना; सघन मिशन इंद्रधनुष)
                if self.scorer is not None and not self.scorer.keeps(value, start, end):
                    continue
                slug = candidate_slug(name)
                evidence = Evidence(field=field_name, start=start, end=end, text=name)
                if slug in found:
                    found[slug].evidence.append(evidence)
                else:
                    found[slug] = SchemeCandidate(name=name, slug=slug, evidence=[evidence])
        # one verdict per mention: a name a fact check denies in one place (the headline, beside the claim) is not
        # a programme where the same story repeats it further on ('Verdict: the claim that "X Yojana" is open …')
        return [candidate for slug, candidate in found.items() if slug not in denied]

    def _spans(self, value: str, denied: set[str]) -> list[tuple[int, int]]:
        """The names the rules find in ``value``; the slugs of names found but denied (no such programme exists)
        are added to ``denied``."""
        keys = list(map(_fold_token, _TOKEN.findall(value)))
        programme_words = [i for i, key in enumerate(keys) if key in vocab.PROGRAMME_WORDS]
        if not programme_words:  # most texts: no token objects at all
            return []
        matches = list(_TOKEN.finditer(value))
        spans: list[tuple[int, int]] = []
        for i in programme_words:
            # the words a name can take around its programme word, and the clause before it that may say who
            # runs it: tokens are made for these only
            low = max(0, i - MAX_NAME_WORDS - 1 - _ACTOR_WINDOW)
            tokens = [_token(value, matches, keys, j) for j in range(low, min(len(keys), i + _AFTER))]
            at = i - low
            if _other_sense(tokens, at):
                continue
            if keys[i] in vocab.CLOSING:
                first = _name_start(tokens, at)
                if first is not None and _is_programme(keys[i], tokens[first:at]) \
                        and not _denial_noted(value, tokens, first, at, denied) \
                        and not _context_rejects(value, matches, keys, tokens, low, first, at, keys[i]):
                    start = tokens[first].start
                    if tokens[at].marks:  # ‘अर्न वाइल लर्न’ योजना: the name with its quote marks
                        mark = start - 1
                        while mark > 0 and value[mark] == " ":
                            mark -= 1
                        start = mark if value[mark] in _OPEN_QUOTES else start
                    spans.append((start, tokens[at].end))
            if keys[i] in vocab.OPENING and _opens_phrase(tokens, at):
                last = _name_end(tokens, at)
                if last is not None and _is_programme(keys[i], tokens[at + 1:last + 1]) \
                        and not _denial_noted(value, tokens, at, last, denied) \
                        and not _context_rejects(value, matches, keys, tokens, low, at, last, keys[i]) \
                        and not (keys[i] in vocab.OPERATION
                                 and _sentence_has(value, matches, keys, i, vocab.MILITARY | vocab.PARTY)):
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
        level = "haryana" if words[0] in vocab.CHIEF_MINISTER \
            else "central" if words[0] in vocab.PRIME_MINISTER else None
        found = self._lookup(words[1]) if level else None
        return bool(found) and self.catalogue.schemes[found].level == level

    def _another_states(self, name: str, before: str) -> bool:
        """A Haryana scheme's name after another state's possessive (मध्य प्रदेश की मुख्यमंत्री तीर्थ दर्शन योजना,
        Delhi's Mukhyamantri Tirth Yatra Yojana): that state's programme, a candidate (rule 6)."""
        key = fold(name)
        found = self._lookup(key) or self._lookup(key.split(maxsplit=1)[-1])
        return bool(found) and self.catalogue.schemes[found].level == "haryana" and another_state_before(before)

    def _of_tagged_scheme(self, name: str, tags: list[SchemeTag]) -> bool:
        """The name's own words (without programme words, scope words, titles and the state's name; one word only
        when no other scheme's names hold it) are all words of a catalogue scheme the mention names (PM Awas
        Yojana, Haryana Dayalu Yojana, प्रधानमंत्री जन आरोग्य योजना beside आयुष्मान भारत): another way of writing
        that scheme. A chief minister's title before a
        central scheme's words (मुख्यमंत्री किसान सम्मान निधि योजना) is a state's programme of its own (rule 6)."""
        words = fold(name).split()
        own = {w for w in words if w not in vocab.PROGRAMME_WORDS and w not in vocab.SCOPE and w not in vocab.HOME_STATE
               and not w.isdigit()}
        if not own or (len(own) == 1 and self._word_schemes[next(iter(own))] > 1):
            return False
        for tag in tags:
            scheme = self.catalogue.schemes.get(tag.id)
            if scheme is None or not own <= self._name_words[tag.id]:
                continue
            chief = any(w in vocab.CHIEF_MINISTER for w in words)
            prime = any(w in vocab.PRIME_MINISTER for w in words)
            if (chief and scheme.level != "haryana") or (prime and scheme.level != "central"):
                continue
            return True
        return False

    def _ends_in_catalogue(self, name: str) -> bool:
        """The name is a catalogue scheme's with words run into it from the sentence (निगरानी जल जीवन मिशन, आधारित
        प्रधानमंत्री कृषि सिंचाई योजना) or with scope and generic words before it (राष्ट्रीय पोषण अभियान): a catalogue
        name of three or more words after at most two others, or of two after generic words only. A government's
        title before it makes another government's programme (मुख्यमंत्री शहरी निकाय स्वामित्व योजना, rule 6), and
        three or more words before it a programme of its own (सामाजिक समरसता अंतरजातीय विवाह शगुन योजना)."""
        words = fold(name).split()
        for k in range(1, len(words) - 1):
            if not self._lookup(" ".join(words[k:])):
                continue
            before = words[:k]
            if any(w in vocab.CHIEF_MINISTER or w in vocab.PRIME_MINISTER for w in before):
                return False
            return (len(words) - k >= 3 and k <= 2) or all(w in vocab.NO_NAME for w in before)
        return False

    def _lookup(self, key: str) -> str | None:
        """The catalogue id of a folded name, with or without its closing programme word."""
        words = key.split()
        bare = " ".join(words[:-1]) if len(words) > 1 and words[-1] in vocab.CLOSING else key
        return self._names.get(key) or self._names.get(bare) or self._names.get(f"{bare} {fold('योजना')}") \
            or self._names.get(f"{bare} yojana")


def _may_name_programme(text: str, title: str | None) -> bool:
    """False when no token of the title or text can fold to a programme word: none of them is even a part of
    the fold of the whole mention, which the other rule taggers have already made (``folded_text``). A token's
    fold is a part of its text's fold, as every folding rule reads within a token or a run of non-word
    characters. Most mentions stop here, before a fold of each of their tokens."""
    folded = folded_text(f"{title}\n{text}" if title else text).text
    return next(iter_matches(_ANY_PROGRAMME_WORD, folded), None) is not None


_ANY_PROGRAMME_WORD = ahocorasick.Automaton()
for _word in vocab.PROGRAMME_WORDS:
    _ANY_PROGRAMME_WORD.add_word(_word, _word)
_ANY_PROGRAMME_WORD.make_automaton()


@lru_cache(maxsize=1 << 16)
def _fold_token(word: str) -> str:
    """``fold`` of one token, cached: the words of news prose repeat, and a fold per token per mention was this
    tagger's main cost."""
    return fold(word)


def _token(value: str, matches: list[re.Match[str]], keys: list[str], j: int) -> _Token:
    """Token ``j`` of a text from its word matches and folded keys."""
    match = matches[j]
    start = match.start()
    if j == 0:
        after_break, quotes = True, ""
    else:
        gap = value[matches[j - 1].end():start]
        marks = gap.strip()
        after_break = bool(marks) or "\n" in gap
        quotes = marks.replace(" ", "") if marks and "\n" not in gap and not marks.strip(_QUOTES) else ""
    return _Token(start, match.end(), match.group(), keys[j], after_break, start > 0 and value[start - 1] in "#@",
                  quotes)


_QUOTES = "'\"‘’“” "
_OPEN_QUOTES = frozenset("'\"‘“")
_CLOSE_QUOTES = frozenset("'\"’”")
_OBLIQUE_PLURAL = ("ों", "ओं")
"""Endings of an oblique plural noun (अपराधियों, किसानों, महिलाओं): after a name an opening word begins, such a
noun is the sentence's (ऑपरेशन आरोहण बच्चियों को …), not a word of the name."""


def _is_name_word(token: _Token, lower: bool = False) -> bool:
    """Whether ``token`` may be a word of a name; a lower-case Latin word only when ``lower``."""
    if token.key in vocab.STOP or token.tag or not token.key or any(ch.isdigit() for ch in token.text):
        return False
    if "'" in token.text or "’" in token.text:  # a possessive: Haryana's, centre's
        return False
    return lower or not _lower_latin(token)


def _after_capitalised_name(tokens: list[_Token], close: int) -> bool:
    """Whether two capitalised Latin name words stand right before the word at ``close`` (Amrit Bharat Station
    yojana): they name what a lower-case yojana after them is. Lower-case romanised names (chiranjeevi yojna) are
    not read: in unlabelled posts nearly all such runs are phrases (sari yojna, koi upai yojna)."""
    if close < 2 or tokens[close].after_break or tokens[close - 1].after_break:
        return False
    return all(t.text[0].isascii() and t.text[0].isupper() and _is_name_word(t) for t in tokens[close - 2:close])


def _acronym(token: _Token) -> bool:
    """An acronym in Latin capitals (OTS, BPL): it names what a lower-case yojana after it is."""
    return len(token.text) > 1 and token.text.isascii() and token.text.isalpha() and token.text.isupper()


def _lower_latin(token: _Token) -> bool:
    return token.text[0].isascii() and not token.text[0].isupper()


def _name_start(tokens: list[_Token], close: int) -> int | None:
    """Index of the first name word before the closing word at ``close``; None when there is none."""
    closing = tokens[close]
    if closing.text[0].isascii() and closing.key not in vocab.ENGLISH_CLOSING and not closing.text[0].isupper() \
            and not (close > 0 and not closing.after_break and _acronym(tokens[close - 1])) \
            and not _after_capitalised_name(tokens, close):
        return None  # a romanised programme word is written as part of a name: Yojana, Abhiyan (but OTS yojana,
        # Amrit Bharat Station yojana)
    if closing.key in vocab.NIDHI and close + 1 < len(tokens) and not tokens[close + 1].after_break \
            and tokens[close + 1].key not in vocab.STOP and tokens[close + 1].key not in vocab.CLOSING:
        return None  # निधि शर्मा: a person's name
    if closing.key in vocab.NIDHI and close > 0 and tokens[close - 1].key in vocab.PERSON_BEFORE:
        return None  # बेटी निधि, डॉ. निधि: a woman's name
    if closing.key in vocab.YOJANA and close + 1 < len(tokens) and not tokens[close + 1].after_break \
            and tokens[close + 1].key in vocab.SURNAME:
        return None  # सरपंच योजना देवी, Yojana Sharma: a woman's name
    if closing.key in vocab.CAMP and close > 0 and not closing.after_break and tokens[close - 1].key in vocab.CLOSING:
        return None  # Vridh Pension scheme camp: a camp of the programme the word before closes
    if closing.marks and close > 0 and set(closing.marks) <= _CLOSE_QUOTES and _is_name_word(tokens[close - 1]):
        return _quoted_name_start(tokens, close)
    # a lower-case English programme word may close a name written in sentence case (Water Bill settlement
    # camp): its lower-case words count when a capitalised word inside the sentence opens it
    lower = _lower_latin(closing) and closing.key in vocab.ENGLISH_CLOSING
    first = close
    while first > 0 and close - first < MAX_NAME_WORDS and not tokens[first].after_break \
            and _is_name_word(tokens[first - 1], lower):
        first -= 1
    if lower:
        while first < close and _lower_latin(tokens[first]):
            first += 1
        lower_words = sum(map(_lower_latin, tokens[first:close]))
        if lower_words > _LOWER_WORDS or (lower_words and (tokens[first].after_break or tokens[first].start == 0)):
            return None  # Bahut accha program: a sentence's capital, not a name's
    if closing.key in vocab.ENGLISH_CAMP and close - first < 2:
        return None  # the Dharamshala camp: a place or a team's camp
    while first < close and tokens[first].key in vocab.NOT_FIRST:
        first += 1
    return first if first < close else None


def _quoted_name_start(tokens: list[_Token], close: int) -> int | None:
    """Index of the first word of a name in quote marks right before its programme word (‘अर्न वाइल लर्न’ योजना,
    'Khel Saathi' scheme); None unless the name words run back to an opening quote mark."""
    first = close - 1
    while first > 0 and close - first < MAX_NAME_WORDS and not tokens[first].after_break \
            and _is_name_word(tokens[first - 1]):
        first -= 1
    if not (tokens[first].marks and set(tokens[first].marks) & _OPEN_QUOTES):
        return None  # ‘गरीबों के लिए’ योजना: a phrase in quotes, not a name
    while first < close and tokens[first].key in vocab.NOT_FIRST:
        first += 1
    return first if first < close else None


def _name_end(tokens: list[_Token], opening: int) -> int | None:
    """Index of the last name word after an opening programme word (at most two words); None when there is none."""
    last = opening
    while last + 1 < len(tokens) and last - opening < 2 and not tokens[last + 1].after_break \
            and _is_name_word(tokens[last + 1]) and tokens[last + 1].key not in vocab.CLOSING \
            and not tokens[last + 1].text.endswith(_OBLIQUE_PLURAL):
        last += 1
    return last if last > opening else None


def _is_programme(programme: str, name_words: list[_Token]) -> bool:
    """Whether the ``name_words`` with the programme word whose key is ``programme`` name a programme."""
    own = [t.key for t in name_words]
    # each part of a hyphenated word too (Mission IIT-JEE: "iit jee")
    if not own or any(p in vocab.NOT_PROGRAMME or p in vocab.WORK for k in own for p in (k, *k.split())):
        return False
    if programme in vocab.OPERATION and own[0] in vocab.COST_FREE:
        return False  # मरीजों के ऑपरेशन निःशुल्क होंगे: surgeries
    if all(k in vocab.NO_NAME for k in own) \
            and not (any(k in vocab.SCOPE for k in own) and any(k in vocab.TOPIC for k in own)):
        return False  # नई योजना, राष्ट्रीय मिशन: a reference; राष्ट्रीय स्वास्थ्य मिशन is a name
    if programme in vocab.DRIVE and any(k in vocab.DRIVE_ACTIVITY for k in own):
        return False  # वाहन चेकिंग अभियान, सैन्य अभियान: a routine drive or a military operation
    if programme in vocab.CAMPAIGN and any(k in vocab.PARTY for k in own):
        return False  # पार्टी … अभियान, भाजपा गांव चलो अभियान: a party's campaign
    if programme in vocab.OPENING and (any(k in vocab.INSTITUTION for k in own) or all(k in vocab.STATE for k in own)):
        return False  # मिशन अस्पताल, ऑपरेशन जिला अस्पताल में (surgeries); Mission Haryana: a party's goal
    if programme in vocab.DRIVE and all(k in vocab.ACTIVITY or k in vocab.NO_NAME for k in own):
        return False  # टीकाकरण अभियान, घर-घर संपर्क अभियान: a drive named by its activity
    if programme in vocab.EVENT_CLOSING and any(k in vocab.EVENT for k in own):
        return False  # शाम सांस्कृतिक कार्यक्रम, Annual Cultural Programme: an event
    if programme in vocab.CARD and own[-1] in vocab.DOCUMENT_CARD:
        return False  # पीएचएच राशन कार्ड, UPJEE Admit Card: the kind of card is a document's
    if programme in vocab.ALLOWANCE and all(k in vocab.GENERIC or k in vocab.PAY for k in own):
        return False  # जोखिम भत्ता: an employee's pay
    if len(own) >= 2 and own[-1] in vocab.PENSION and own[-2] in vocab.PENSION_SYSTEM:
        return False  # पुरानी पेंशन योजना, Unified Pension Scheme: an employees' pension system is pay
    if programme in vocab.YOJANA and own[-1] in vocab.PLAN_KIND:
        return False  # ग्राम कार्य योजना: an action plan
    return not (programme in vocab.PROJECT and any(k in vocab.WORKS for k in own))  # मेट्रो परियोजना: a works project


def _other_sense(tokens: list[_Token], at: int) -> bool:
    """Whether the word after the programme word at ``at`` gives it another sense: a manner of working (मिशन मोड
    में, in Mission Mode) or, after योजना, a plan being drawn up (योजना बनाने, योजना तैयार की)."""
    if at + 1 >= len(tokens) or tokens[at + 1].after_break:
        return False
    after = tokens[at + 1].key
    return after in vocab.MANNER \
        or (tokens[at].key in vocab.YOJANA and (after in vocab.PLAN_MAKING or after in vocab.PLANNING_BODY))


def _opens_phrase(tokens: list[_Token], at: int) -> bool:
    """Whether the programme word at ``at`` stands where a name can open: not after a name word (there it closes
    a name or sits inside one: स्वच्छ भारत मिशन आम जनता की …, स्मार्ट फ्रेट ऑपरेशन ऑप्टिमाइजेशन …) nor after a
    determiner, possessive or participle that makes it a common noun (यह मिशन …, हमारे मिशन विदेशों में …)."""
    if at == 0 or tokens[at].after_break:
        return True
    before = tokens[at - 1]
    return not _is_name_word(before) and before.key not in vocab.COMMON_BEFORE


def _names_other_thing(tokens: list[_Token], last: int) -> bool:
    """Whether the name ending at ``last`` is followed by नाम का / naam ka and a noun other than a programme word:
    the name is that thing's (Mission Topper naam ka crash course)."""
    if last + 3 >= len(tokens) or any(t.after_break and not t.quoted for t in tokens[last + 1:last + 4]):
        return False
    named, of, noun = (t.key for t in tokens[last + 1:last + 4])
    return named in vocab.NAMED and of in vocab.NAMED_OF and noun not in vocab.PROGRAMME_WORDS


def _denied(tokens: list[_Token], first: int, last: int) -> bool:
    """Whether the words around the name at ``tokens[first:last + 1]`` say that no such programme exists: "<name>
    नाम की कोई योजना नहीं है", "<name> नाम से कोई स्कीम नहीं चल रही", "कोई <name> नहीं है", "No <name> exists",
    "<name> फर्जी है" (a fact check of a fake message)."""
    after: list[str] = []
    for token in tokens[last + 1:last + 8]:
        if token.after_break and not token.quoted:
            break
        if after or not token.key.isdigit():  # a year after the name: 'PM … Yojana 2026' naam ki koi …
            after.append(token.key)
    denies = bool(after) and (after[0] in vocab.NEGATION or (
        after[0] in vocab.EXISTS and (after[0].isascii() or any(k in vocab.NEGATION for k in after[1:3]))))
    if denies and first > 0 and tokens[first - 1].key in vocab.NONE \
            and (not tokens[first].after_break or tokens[first].quoted):
        return True
    if len(after) >= 2 and after[0] in vocab.NAMED and after[1] in vocab.NAMED_OF:
        after = after[2:]
    if after and after[0] in vocab.FAKE:
        return len(after) == 1 or after[1] in vocab.COPULA
    if len(after) >= 2 and after[0] in vocab.COPULA and after[1] in vocab.FAKE:
        return True
    return len(after) >= 3 and after[0] in vocab.NONE and after[1] in vocab.PROGRAMME_WORDS \
        and any(k in vocab.NEGATION for k in after[2:5])


def _denial_noted(value: str, tokens: list[_Token], first: int, last: int, denied: set[str]) -> bool:
    """Whether the name at ``tokens[first:last + 1]`` is denied where it stands (``_denied``, ``_denied_later``);
    if so its slug goes into ``denied``."""
    if not (_denied(tokens, first, last) or _denied_later(value, tokens[first].start, tokens[last].end)):
        return False
    denied.add(candidate_slug(value[tokens[first].start:tokens[last].end]))
    return True


def _context_rejects(value: str, matches: list[re.Match[str]], keys: list[str], tokens: list[_Token], low: int,
                     first: int, last: int, programme_key: str) -> bool:
    """Whether the words around the name at ``tokens[first:last + 1]`` (``tokens[0]`` is token ``low`` of the
    text), read through quote marks, make it something other than a programme: another thing's name, another
    actor's programme, or a title (a denied or fake one is ``_denial_noted``'s)."""
    if _names_other_thing(tokens, last) or _run_by_others(tokens, first, last, programme_key):
        return True
    if last + 1 < len(tokens) and not tokens[last + 1].after_break and tokens[last + 1].key in vocab.COURSE:
        return True  # Mission Selection batch, मिशन 100 कोर्स: a coaching centre's course
    if programme_key in vocab.PROJECT and _costed(tokens, first):
        return True  # 160 करोड़ रुपये की सीवरेज परियोजना: a works project
    if first > 0 and (not tokens[first].after_break or tokens[first].quoted) and tokens[first - 1].key in vocab.WORK:
        return True  # फिल्म ‘मिशन मंगल’: a title
    if (tokens[first].quoted or tokens[first].key in vocab.OPENING) \
            and _sentence_has(value, matches, keys, low + first, vocab.SCREEN):
        return True  # Trailer of 'Operation X' …, ‘मिशन X’ का टीजर: a film's title
    closed = tokens[last].key == programme_key  # not opened: Mission Karmayogi
    return closed and programme_key not in vocab.ALLOWANCE \
        and _one_word_name(tokens, first, last) \
        and not _programme_context(value, matches, keys, low + first, low + last)


def _one_word_name(tokens: list[_Token], first: int, last: int) -> bool:
    """Whether the name at ``tokens[first:last + 1]``, closed by its programme word, has one word of its own, not a
    government's title, an acronym in Latin capitals or an e- coinage (रक्तदान शिविर, एवरेस्ट अभियान; not पीएम
    विद्यालक्ष्मी योजना, PM-PRANAM scheme, OTS yojana, ई-श्रम कार्ड). A Mission or Operation that opens a name
    (Mission Karmayogi, ऑपरेशन स्माइल) and a welfare allowance (बौना भत्ता) are named by that word itself and are
    not asked for more."""
    own = [t for t in tokens[first:last + 1] if t.key not in vocab.PROGRAMME_WORDS]
    if len(own) != 1 or _acronym(own[0]) or own[0].text.split("-")[0].isupper() \
            or own[0].text.startswith(("ई-", "e-", "E-")):
        return False  # an acronym (OTS, FAME-II) or an e-governance coinage (ई-श्रम, e-Sanjeevani) names one
    return not any(w in vocab.CHIEF_MINISTER or w in vocab.PRIME_MINISTER for w in own[0].key.split())


def _programme_context(value: str, matches: list[re.Match[str]], keys: list[str], first: int, last: int) -> bool:
    """Whether the sentence around the name at text tokens ``first``…``last`` says it is a government programme:
    a government, department or state before it (केंद्र सरकार ने …, कर्नाटक की …, Odisha's …, under …) or what a
    programme has after it (… के तहत, ke tahat, लाभार्थी, आवेदन, किस्त, under which …). One word and a programme word
    are weak evidence on their own: in the held-out rows half of such candidates were no programme (a club's रक्तदान
    शिविर, एवरेस्ट अभियान, Mission Selection), against one in five of the longer names."""
    start, end = _sentence_bounds(value, matches, first, last, _CONTEXT_BEFORE, _CONTEXT_AFTER)
    before = [w for key in keys[start:first] for w in key.split()]
    after = [w for key in keys[last + 1:end + 1] for w in key.split()]
    states = load_gazetteer().state_by_form
    return any(w in vocab.GOVERNMENT_BEFORE or w in states for w in before) \
        or any(w in vocab.PROGRAMME_AFTER for w in after) \
        or any(f"{a} {b}" in states for a, b in pairwise(before))


_CONTEXT_BEFORE = 8
"""Tokens read back from a one-word name, within its sentence, for a government or a state."""
_CONTEXT_AFTER = 6
"""Tokens read on from a one-word name, within its sentence, for what a programme has (के तहत, लाभार्थी)."""


def _costed(tokens: list[_Token], first: int) -> bool:
    """Whether a sum of money stands just before the name at ``first`` (… करोड़ रुपये की …, Rs 40 crore …)."""
    if first == 0 or (tokens[first].after_break and not tokens[first].quoted):
        return False
    before = first - 1
    if tokens[before].key in vocab.GENITIVE and before > 0 and not tokens[before].after_break:
        before -= 1
    return tokens[before].key in vocab.MONEY


def _denied_later(value: str, start: int, end: int) -> bool:
    """Whether a claim (दावा, viral, fact check …) around the name at ``value[start:end]`` is followed by a denial
    that such a programme exists (… पीआईबी ने साफ किया कि ऐसी कोई योजना नहीं …, No such scheme exists), or a fact
    check calls the message that quotes the name fake (#FactCheck: 'X Yojana' के नाम पर वायरल मैसेज फर्जी है)."""
    after = value[end:end + _DENIAL_REACH]
    if _SUCH_NONE.search(after) and _CLAIM.search(value, max(0, start - _DENIAL_REACH), end + _DENIAL_REACH):
        return True
    quoted = value[:start].rstrip()[-1:] in _OPEN_QUOTES | _CLOSE_QUOTES
    return quoted and bool(_FAKE_CALLED.search(after)) \
        and bool(_FACT_CHECK.search(value, max(0, start - _DENIAL_REACH), end + _DENIAL_REACH))


_DENIAL_REACH = 240
"""Characters read after a name for a denial, and before it for the claim denied (the next sentence or two)."""
_PROGRAMME_NOUN = r"(?:योजना|स्कीम|अभियान|कार्यक्रम|मिशन|कार्ड|भत्ता)"
_SUCH_NONE = re.compile(
    rf"(?:ऐसी|ऐसा|ऐसे)\s+(?:कोई\s+)?{_PROGRAMME_NOUN}[^।.!?\n]{{0,40}}?नहीं|कोई\s+(?:ऐसी|ऐसा|ऐसे)\s+{_PROGRAMME_NOUN}"
    r"[^।.!?\n]{0,40}?नहीं|\b[Nn]o such (?:scheme|yojana|programme|program|mission|allowance)\b"
    r"|\b(?:aisi|aesi|aisa|aise) koi (?:scheme|yojana|yojna)\b[^.!?\n]{0,40}?\bnahi|\bkoi (?:aisi|aesi|aisa) "
    r"(?:scheme|yojana|yojna)\b[^.!?\n]{0,40}?\bnahi", re.IGNORECASE)
_CLAIM = re.compile(r"दावा|दावे|वायरल|फैक्ट|भ्रामक|\b(?:claim|claims|claimed|viral|fact|factcheck|misleading|hoax)\b",
                    re.IGNORECASE)
_FACT_CHECK = re.compile(r"फैक्ट[\s-]*चेक|पीआईबी|\bfact[\s-]*check|\bPIB\b", re.IGNORECASE)
_FAKE_CALLED = re.compile(r"फर्जी|नकली|झूठा|झूठी|झूठे|भ्रामक|\b(?:fake|false|bogus|hoax|misleading|fraudulent)\b",
                          re.IGNORECASE)


def _sentence_bounds(value: str, matches: list[re.Match[str]], first: int, last: int, back: int = 0,
                     on: int = 0) -> tuple[int, int]:
    """The first and last token of the sentence around tokens ``first``…``last``, at most ``back`` tokens before
    and ``on`` after them when those are given (0: to the sentence's edge)."""
    start = first
    while start > 0 and (not back or first - start < back) \
            and not _SENTENCE_END.search(value, matches[start - 1].end(), matches[start].start()):
        start -= 1
    end = last
    while end + 1 < len(matches) and (not on or end - last < on) \
            and not _SENTENCE_END.search(value, matches[end].end(), matches[end + 1].start()):
        end += 1
    return start, end


def _sentence_has(value: str, matches: list[re.Match[str]], keys: list[str], i: int, words: frozenset[str]) -> bool:
    """Whether the sentence of token ``i`` has one of ``words`` (a military word: army, सेना, आतंकी …)."""
    first, last = _sentence_bounds(value, matches, i, i)
    return any(word in words for key in keys[first:last + 1] for word in key.split())  # army's: "army s"


def _run_by_others(tokens: list[_Token], first: int, last: int, programme_key: str) -> bool:
    """Whether a business or club (any programme word), or a political party (a campaign word), runs the name at
    ``tokens[first:last + 1]``: it owns it (SBI's … Scheme, ज्वेलर्स की … स्कीम, The JJP launched its … Abhiyan) or is
    the ergative subject whose direct object the name is (रोटरी क्लब ने रविवार को रक्तदान शिविर लगाया)."""
    def actor(token: _Token) -> bool:
        return _business(token) or (programme_key in vocab.CAMPAIGN and _party(token))

    def actor_at(k: int) -> bool:  # a business, or its agent or employee (एलआईसी एजेंट, बैंक की शाखा प्रबंधक)
        if k > 0 and tokens[k - 1].key in vocab.RESERVE and not tokens[k].after_break:
            return False  # रिजर्व बैंक ने …: the central bank is government
        if actor(tokens[k]):
            return True
        unit = tokens[k].key in vocab.UNIT
        if tokens[k].key not in vocab.STAFF and not unit:
            return False
        for m in range(k - 1, max(-1, k - 5), -1):  # संत निरंकारी मिशन की स्थानीय शाखा
            if tokens[m + 1].after_break:
                return False
            if actor(tokens[m]) or (unit and tokens[m].key in vocab.PRIVATE):
                return True
        return False

    if _held_by(tokens, first, last, actor_at) \
            or (programme_key in vocab.CAMP and _camp_held_by(tokens, first, actor_at)):
        return True

    if first == 0 or (tokens[first].after_break and not tokens[first].quoted):  # सर्राफ की 'गोल्ड … स्कीम'
        return False
    before = tokens[first - 1]
    if before.text.endswith(("'s", "’s")) and actor(before):
        return True
    if before.key in vocab.GENITIVE and first > 1 and not before.after_break \
            and (actor_at(first - 2) or (first > 3 and tokens[first - 3].key in vocab.OF and actor_at(first - 4)
                                         and not any(t.after_break for t in tokens[first - 3:first - 1]))):
        return True  # SBI की …, बैंक ऑफ बड़ौदा की … योजना
    after = tokens[last + 1] if last + 1 < len(tokens) and not tokens[last + 1].after_break else None
    direct_object = after is None or after.key not in vocab.POSTPOSITION or _sold_after(tokens, last)
    # a party acting under a campaign runs it (कांग्रेस ने संविधान बचाओ अभियान के तहत पदयात्रा …)
    under = programme_key in vocab.CAMPAIGN and after is not None and after.key in vocab.GENITIVE \
        and last + 2 < len(tokens) and tokens[last + 2].key in vocab.UNDER
    own = before.key in vocab.OWN
    reported = False  # past a कि: only the speaker (X ने कहा कि) owns a name that is "their own"
    j = first - 1
    while j >= 0 and first - j <= _ACTOR_WINDOW:
        if under and not reported and _party(tokens[j]) \
                and not (j + 1 < len(tokens) and tokens[j + 1].key in vocab.GOVERNMENT):
            return True  # कांग्रेस (ने) … X अभियान के तहत …: the party's own campaign
        if j == 0 or tokens[j].after_break:
            break  # the clause's first word: nothing before it is read
        if tokens[j].text in vocab.THAT:
            if not (own or before.key in vocab.SPEAKER_OWN):
                break
            reported = True
        elif reported:
            if tokens[j].key in vocab.ERGATIVE and actor_at(j - 1):
                return True
        elif own and actor_at(j - 1):
            return True
        elif direct_object and tokens[j].key in vocab.ERGATIVE and actor_at(j - 1):
            return True
        j -= 1
    return False


def _party(token: _Token) -> bool:
    """Whether the token names a political party (भाजपा, Congress, AAP)."""
    return token.key in vocab.PARTY or bool(set(token.key.split()) & vocab.PARTY) \
        or token.text.split("'")[0] in vocab.PARTY_CAPITALS


def _business(token: _Token) -> bool:
    """Whether the token names a business (SBI, ज्वैलर्स, बैंक); SBI's folds to "sbi s"."""
    return token.key in vocab.BUSINESS or bool(set(token.key.split()) & vocab.BUSINESS)


def _agency_at(tokens: list[_Token], k: int, actor_at: Callable[[int], bool]) -> bool:
    """Whether ``tokens[k]`` closes a phrase of agency that names an actor: "X द्वारा" or "X की ओर से"."""
    if tokens[k].key in vocab.BY:
        return k > 0 and actor_at(k - 1)
    return k > 2 and tokens[k].key in vocab.FROM and tokens[k - 1].key in vocab.SIDE \
        and tokens[k - 2].key in vocab.GENITIVE and actor_at(k - 3)


def _held_by(tokens: list[_Token], first: int, last: int, actor_at: Callable[[int], bool]) -> bool:
    """Whether an actor (``actor_at``) holds the name at ``tokens[first:last + 1]`` by a phrase of agency: before
    it, "X की ओर से / X द्वारा" and participles only (गुरुद्वारा कमेटी की ओर से लगाए गए … शिविर); after it, in its
    clause, "run by X" (… is run by a private academy)."""
    k = first - 1
    if k >= 0 and not (tokens[first].after_break and not tokens[first].quoted):
        while k > 0 and first - k <= 4 and tokens[k].key in vocab.HELD and not tokens[k + 1].after_break:
            k -= 1
        if k > 0 and not tokens[k + 1].after_break and _agency_at(tokens, k, actor_at):
            return True
    for j in range(last + 1, min(len(tokens), last + 10)):
        if tokens[j].after_break and not tokens[j].quoted:
            return False
        if tokens[j].key == "by" and tokens[j - 1].key in vocab.RUN_BY:
            return any(actor_at(m) for m in range(j + 1, min(len(tokens), j + 4)) if not tokens[m].after_break)
    return False


def _camp_held_by(tokens: list[_Token], first: int, actor_at: Callable[[int], bool]) -> bool:
    """Whether the clause before a camp's name at ``first`` says an actor holds it, with a time or place between
    (रोटरी क्लब की ओर से रविवार को सत्संग भवन में रक्तदान शिविर लगाया गया): a camp is held by whoever "की ओर से" or
    "द्वारा" names, up to a subject or a conjunction that opens another clause."""
    j = first - 1
    while j > 0 and first - j <= _ACTOR_WINDOW and not tokens[j + 1].after_break \
            and tokens[j].key not in vocab.ERGATIVE | vocab.AND and tokens[j].text not in vocab.THAT:
        if _agency_at(tokens, j, actor_at):
            return True
        j -= 1
    return False


def _sold_after(tokens: list[_Token], last: int) -> bool:
    """Whether the clause after the name ending at ``last`` says it is sold (… योजना की दो पॉलिसी बेचीं):
    a product, not a programme the seller speaks of — unless it is sold "in the name of" it (… योजना के नाम पर)."""
    after = tokens[last + 1:]
    if len(after) >= 2 and after[0].key in vocab.GENITIVE and after[1].key in vocab.NAMED:
        return False
    for token in after:
        if token.after_break:
            return False
        if token.key in vocab.SOLD:
            return True
    return False


@lru_cache(maxsize=1)
def get_candidate_finder() -> SchemeCandidateFinder:
    """The process-wide finder over the shipped catalogue, its rules' names filtered by the shipped scorer."""
    return SchemeCandidateFinder(get_scheme_tagger(), get_candidate_scorer())


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
