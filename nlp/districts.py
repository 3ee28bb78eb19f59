"""District tagger: which Indian districts a mention is *about*, with the evidence span for each.

Names come from the gazetteer (``nlp.gazetteer``); this module decides which matches count:

* a dateline or byline ("चंडीगढ़ (धरणी):", "ROHTAK:", "Chandigarh, Oct 16 (PTI) -") only says where the report
  was filed — it counts when the body is about that place too;
* attributive mentions (``रोहतक से सांसद``, ``जींद निवासी``, "MP from X") and road, rail or canal names
  (``दिल्ली-जयपुर हाईवे``, ``लोहारु रोड``) say nothing about where the story happens;
* a name shared by places in several districts or states (Fatehabad in Agra, Dadri in UP) goes to the one
  whose district or state the text also names;
* villages and localities from the post-office list, and names that are also ordinary words or person names,
  need more evidence: a cue such as ``गांव X`` / "X village" / ``X जिले``, or their district named as well;
* Hansi (carved out of Hisar on 2025-12-22) is tagged by the map valid on the mention's date.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import pairwise
from typing import Any, ClassVar

from janmat.core.mention import HARYANA, DistrictTag, Evidence, Mention, TextField
from nlp.evidence import MAX_EVIDENCE
from nlp.gazetteer import STRENGTH_RANK, Gazetteer, NameMatch, Place, load_gazetteer
from nlp.normalize import fold, folded_text
from nlp.tagger import register_tagger

# Cue words, compared after folding. Sequences are tuples of words.
_VILLAGE_BEFORE = {fold(w) for w in ("गांव", "गाँव", "ग्राम", "village", "गांवों", "कस्बे", "कस्बा", "मौजा", "ढाणी")}
_TYPE_AFTER = {fold(w) for w in (
    "गांव", "ग्राम", "village", "जिले", "जिला", "जिलों", "ज़िले", "जनपद", "district", "शहर", "city", "कस्बे",
    "कस्बा", "town", "उपमंडल", "सब-डिवीजन", "subdivision", "तहसील", "tehsil", "ब्लॉक", "block", "खंड", "थाना",
    "थाने", "थानाक्षेत्र", "नगर", "क्षेत्र", "इलाके", "इलाका", "area", "में", "mein", "के", "की", "का",
)}
# a place-type word strong enough to vouch for a name that is also a common word
_TYPE_AFTER_STRONG = {fold(w) for w in (
    "गांव", "ग्राम", "village", "जिले", "जिला", "जिलों", "जनपद", "district", "शहर", "city", "कस्बे", "कस्बा",
    "town", "उपमंडल", "subdivision", "तहसील", "tehsil", "ब्लॉक", "block", "थाना", "थाने",
)}
_TYPE_BEFORE_STRONG = {fold(w) for w in (
    "गांव", "ग्राम", "village", "जिला", "जनपद", "district", "तहसील", "tehsil", "उपमंडल", "कस्बा", "कस्बे", "शहर",
    "ब्लॉक", "block",
)}
_ROAD_AFTER = {fold(w) for w in (
    "रोड", "रोड़", "मार्ग", "हाईवे", "हाइवे", "राजमार्ग", "एक्सप्रेसवे", "एक्सप्रेस", "बाईपास", "बाइपास", "नहर",
    "ब्रांच", "road", "rd", "highway", "expressway", "bypass", "marg", "canal", "branch", "फ्लाईओवर",
)}
_RAIL_AFTER = ({fold(w) for w in ("रेल", "रेलवे", "rail", "railway")},
               {fold(w) for w in ("लाइन", "लाईन", "ट्रैक", "मार्ग", "line", "track", "route")})
_ATTRIBUTIVE_AFTER: tuple[tuple[str, ...], ...] = tuple(tuple(fold(w) for w in seq.split()) for seq in (
    "से सांसद", "से विधायक", "के सांसद", "के विधायक", "सांसद", "विधायक", "लोकसभा", "निवासी", "के निवासी",
    "का निवासी", "की निवासी", "वासी", "के रहने वाले", "का रहने वाला", "की रहने वाली", "मूल के", "रेंज",
    "range", "mp", "mla", "based", "native", "resident", "के मूल निवासी", "की ओर", "की तरफ", "से अलग",
    "से काटकर",
))
# "X से ... तक" / "from X to" / "between X and": a route or a range, not where something happens.
_ROUTE_FROM = fold("से")
_ROUTE_TO = fold("तक")
_AND_HI = fold("और")
_ROUTE_BEFORE = {fold(w) for w in ("between", "from")}
_ATTRIBUTIVE_BEFORE: tuple[tuple[str, ...], ...] = tuple(tuple(fold(w) for w in seq.split()) for seq in (
    "mp from", "mla from", "resident of", "native of", "hails from", "सांसद", "विधायक", "निवासी", "neighbouring",
    "neighboring", "adjoining", "पड़ोसी", "पड़ोस", "पड़ोसी जिले", "towards", "toward", "carved out of",
    "split from", "bifurcated from", "borders", "bordering",
))
# "झज्जर से ... आईं" (came from X), "हिसार जाना पड़ता" (had to go to X), "रोहतक रेफर" (referred to X): where a person
# comes from or goes to, not where the story happens
_ORIGIN_VERBS = {fold(w) for w in ("आए", "आई", "आईं", "आया", "आये", "आकर", "पहुंचे", "पहुंची", "पहुंचा", "came",
                                   "आते", "आती", "आता", "आने")}
_DESTINATION_AFTER = {fold(w) for w in ("जाना", "जाने", "जाते", "जाती", "जाता", "रेफर", "referred")}
_PERSON_BEFORE_FROM = {fold(w) for w in (
    "patient", "patients", "man", "woman", "youth", "boy", "girl", "farmer", "farmers", "student", "students",
    "family", "resident", "residents", "people", "worker", "workers", "leader", "leaders", "candidate",
    "lad", "boxer", "wrestler", "athlete", "player", "shooter", "cricketer", "jawan", "soldier", "officer",
)}
# A person's origin or an official's earlier posting, within the name's clause (issue 16): "मूल रूप से X के",
# "इससे पहले वे X में …", "previously posted in X" before it; "X जिले के … का रहने वाला", "X में जन्मे",
# "X में उपायुक्त रह चुके", "X में तैनात थे", "X until last week" after it; a comparison or a neighbouring state's
# place named in passing ("X की तरह", "पड़ोसी राज्य … X", "X तक").
_ELSEWHERE_BEFORE = tuple(tuple(fold(w) for w in seq.split()) for seq in (
    "मूल रूप से", "मूलतः", "originally from", "hailing from", "born in", "इससे पहले", "इससे पूर्व", "पूर्व में",
    "पहले वे", "earlier", "previously", "formerly", "पड़ोसी", "neighbouring", "neighboring", "adjoining",
))
_ELSEWHERE_AFTER = tuple(tuple(fold(w) for w in seq.split()) for seq in (
    "में जन्मे", "में जन्मी", "में जन्मा", "रह चुके", "रह चुकी", "रह चुका", "तैनात थे", "तैनात था", "तैनात थी",
    "तैनात रहे", "तैनात रही", "पद से", "पदोन्नत", "until last",
))
_ELSEWHERE_FIRST = tuple(tuple(fold(w) for w in seq.split()) for seq in (
    "की तरह", "की तर्ज", "जैसे", "जैसी", "जैसा", "के समान", "तक",
))
_LIVES = fold("रहने")
_LIVES_OF = {fold(w) for w in ("के", "का", "की")}
_CLAUSE_END = re.compile(r"[,;:()\[\]।.!?|\n]")
_CLAUSE_WORDS = 10
_AFTER_WORDS = 8  # "X में एसडीएम के पद पर तैनात थे"
_LIVES_WORDS = 6  # "X जिले के एक गांव का रहने"
# Words that show the body deals with a place's own administration or streets, which rescues a dateline place
# when the story names no other district ("हिसार (संवाददाता): शहर में ...").
_LOCAL_CUES = {fold(w) for w in (
    "उपायुक्त", "डीसी", "जिलाधिकारी", "जिलाधीश", "डीएम", "एसडीएम", "एसपी", "पुलिस अधीक्षक", "जिला प्रशासन",
    "जिला अधिकारी", "नगर निगम", "नगर परिषद", "नगर पालिका", "शहर में", "शहर के", "शहर की", "शहरवासी", "स्थानीय",
    "deputy commissioner", "district administration", "municipal corporation", "the city", "local residents",
)}
_LOCAL_CUE_PHRASES = {cue for cue in _LOCAL_CUES if " " in cue}
_LOCAL_CUE_WORDS = _LOCAL_CUES - _LOCAL_CUE_PHRASES

_MONTHS = (
    "जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|"
    "दिसम्बर|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december"
)
_DATE = rf"(?:[0-9०-९]{{1,2}}\s*(?:{_MONTHS})|(?:{_MONTHS})\.?\s*[0-9०-९]{{1,2}})"
_DATELINE_DATE = re.compile(rf"\s*(?:\([^()\n]{{1,40}}\)\s*)?,\s*{_DATE}\b", re.IGNORECASE)
_DATELINE_PAREN = re.compile(r"\s*\(([^()\n]{1,40})\)\s*(?:[:।|]|[-–—]+\s)")
_DATELINE_COLON = re.compile(r"\s*(?::|\|)")
_DATELINE_START_PUNCT = re.compile(r"\s*(?:[.।]|[-–—]+|:-)\s")
_SEGMENT_END = "\n।.!?|"
_DATELINE_MARKS = frozenset(",(:|।.-–—")
_LEAD_NOISE = " \t\"'“”‘’*•#>"
_SENTENCE_END = re.compile(r"[।.!?]\s")

_GAP = re.compile("[^0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f]+")
_GAP_BEFORE = re.compile("[^0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f]+$")
_CAPITALS = {"Chandigarh:Chandigarh", "Delhi:New Delhi"}
"""Seats of government: state meetings held there are not about the place, so they need two mentions."""


@dataclass(slots=True)
class _Candidate:
    match: NameMatch
    field_name: TextField
    offset: int
    place: Place | None = None
    dateline: bool = False
    attributive: bool = False
    road: bool = False
    accepted: bool = False

    @property
    def counts(self) -> bool:
        return self.accepted and not (self.dateline or self.attributive or self.road)


class DistrictTagger:
    """Finds the districts a text is about, with evidence spans into the original title and text."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()

    def tag(self, text: str, title: str | None = None, published_at: datetime | None = None) -> list[DistrictTag]:
        """District tags for one mention (title and body), Hansi mapped by ``published_at``."""
        full, words, candidates = self._candidates(text, title)
        if not candidates:
            return []
        states = {state.state for c in candidates for state in c.match.states}
        self._mark_context(full, words, candidates)
        self._resolve(candidates, states)
        self._support(full, words, candidates)
        self._other_states_need_context(full, words, candidates)
        return self._tags(full, words, candidates, published_at)

    def named(self, text: str, title: str | None = None) -> list[str]:
        """Keys of every district the text names by a name the tagger resolves, whatever its context (a dateline,
        a home town, a road): the districts a mention *mentions*, as against those ``tag`` says it is about."""
        full, words, candidates = self._candidates(text, title)
        self._resolve(candidates, {state.state for c in candidates for state in c.match.states})
        self._support(full, words, candidates)
        keys = (self.gazetteer.districts[c.place.district].key for c in candidates if c.accepted and c.place)
        return list(dict.fromkeys(keys))

    def _candidates(self, text: str, title: str | None) -> tuple[str, str, list[_Candidate]]:
        """The title and text as one string, its fold, and a candidate for every gazetteer name in it."""
        full = f"{title}\n{text}" if title else text
        body_offset = len(title) + 1 if title else 0
        folded = folded_text(full)
        candidates = []
        for match in self.gazetteer.find(folded):
            in_title = match.start < body_offset
            candidates.append(_Candidate(match, "title" if in_title else "text", 0 if in_title else body_offset))
        return full, folded.text, candidates

    # --- context: datelines, attributive mentions, roads -------------------------------------------------
    def _mark_context(self, full: str, words: str, candidates: list[_Candidate]) -> None:
        starts = {c.match.fstart: c for c in candidates}
        first_sentence_end = _SENTENCE_END.search(full)
        headline_end = first_sentence_end.start() if first_sentence_end else len(full)
        for index in range(len(candidates) - 1, -1, -1):
            candidate = candidates[index]
            match = candidate.match
            if match.places:
                candidate.dateline = _is_dateline(full, match, headline_end, self.gazetteer)
            after = _next_words(words, match.fend, 4)
            before = _previous_words(words, match.fstart, 3)
            candidate.attributive = _attributive(after, before)
            following = starts.get(match.fend + 1)
            route = (bool(after) and after[0] == _ROUTE_FROM and (
                _ROUTE_TO in after[1:] or _place_follows(starts, words, match.fend, 2))) or (
                bool(before) and before[-1] in _ROUTE_BEFORE and _next_words(words, match.fend, 1) in (["to"],
                                                                                                     ["and"]))
            # "X से Y": Y is the other end of the route
            if before and before[-1] == _ROUTE_FROM and _place_precedes(candidates, index):
                route = True
            origin = bool(after) and after[0] == _ROUTE_FROM and bool(
                _ORIGIN_VERBS.intersection(_next_words(words, match.fend, 8)[1:]))
            destination = bool(after) and after[0] in _DESTINATION_AFTER
            from_person = len(before) >= 2 and before[-1] == "from" and before[-2] in _PERSON_BEFORE_FROM
            candidate.attributive = candidate.attributive or origin or destination or from_person or \
                _elsewhere(full, match)
            joined = following is not None and _joined(full, match, following.match)
            candidate.road = route or (bool(after) and (
                after[0] in _ROAD_AFTER
                or (after[0] in _RAIL_AFTER[0] and len(after) > 1 and after[1] in _RAIL_AFTER[1])
                or (joined and following.road)))
            # "भिवानी महेंद्रगढ़ लोकसभा": a compound name shares the attribute of its last part
            candidate.attributive = candidate.attributive or (joined and following.attributive)
        # "between X and Y": Y is the other end of the same route
        for left, right in pairwise(candidates):
            if left.road and _previous_words(words, right.match.fstart, 1) in (["and"], [_AND_HI]) and (
                    right.match.fstart - left.match.fend < 8):
                right.road = True
        # "नारनौंद और बास से आए लोग", "X, Y निवासी": a list shares the attribute of its last name
        for left, right in reversed(list(pairwise(candidates))):
            if right.attributive and not left.attributive and left.match.places and _listed(full, left, right):
                left.attributive = True

    # --- which place each name means ---------------------------------------------------------------------
    def _resolve(self, candidates: list[_Candidate], states: set[str]) -> None:
        districts = self.gazetteer.districts
        sure: dict[str, set[int]] = defaultdict(set)  # district -> ids of unambiguous, trustworthy names
        # the places a name may be, by district: one dict per distinct name (the gazetteer's tuple of places),
        # not one per occurrence
        by_places: dict[int, dict[str, list[Place]]] = {}
        for candidate in candidates:
            options = by_places.get(id(candidate.match.places))
            if options is None:
                options = by_places[id(candidate.match.places)] = _by_district(candidate.match.places)
            if len(options) == 1:
                key, places = next(iter(options.items()))
                best = max(places, key=lambda p: STRENGTH_RANK[p.strength])
                if best.strength in ("strong", "medium") and not best.common:
                    sure[key].add(id(candidate))
                    states.add(districts[key].state)
        for candidate in candidates:
            options = by_places[id(candidate.match.places)]
            if not options:
                continue
            scored = []
            for key, places in options.items():
                best = max(places, key=lambda p: (STRENGTH_RANK[p.strength], p.kind == "district"))
                named = sure.get(key, ())
                named_elsewhere = len(named) > 1 or (len(named) == 1 and id(candidate) not in named)
                score = 2 * named_elsewhere + (districts[key].state in states)
                scored.append((score, STRENGTH_RANK[best.strength], key, best))
            scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
            top = scored[0]
            tied = [s for s in scored if (s[0], s[1]) == (top[0], top[1])]
            if len(tied) > 1:
                continue  # same-named places with nothing to choose between them
            score, _, key, place = top
            if len(scored) > 1 and score == 0 and scored[1][0] == 0 and place.strength not in ("strong",):
                continue
            candidate.place = place
            if place.strength == "ambiguous" and score == 0:
                continue
            candidate.accepted = place.strength in ("strong", "medium", "ambiguous") and not place.common

    def _support(self, full: str, words: str, candidates: list[_Candidate]) -> None:
        """Accept weak and common-word names that have a place cue or whose district is named as well."""
        named = {c.place.district for c in candidates if c.accepted and c.place}
        for candidate in candidates:
            place = candidate.place
            if place is None or candidate.accepted:
                continue
            if place.strength == "ambiguous":
                continue
            match = candidate.match
            # a cue word counts only in the same phrase: nothing but spaces between it and the name
            after = _next_words(words, match.fend, 2) if _gap_after_is_space(full, match.end) else []
            before = _previous_words(words, match.fstart, 1) if _gap_before_is_space(full, match.start) else []
            cue = (bool(after) and after[0] in _TYPE_AFTER_STRONG) or (bool(before) and before[-1] in
                                                                      _TYPE_BEFORE_STRONG)
            if place.strength == "weak":
                cue = cue or (bool(before) and before[-1] in _VILLAGE_BEFORE)
            candidate.accepted = cue or place.district in named

    def _other_states_need_context(self, full: str, words: str, candidates: list[_Candidate]) -> None:
        """In a Haryana story, a district of another state counts only when that state is named too (or another
        of its districts, or a place word such as जिले / district follows it): "नरसिंहपुर के पास" in a Gurugram
        story is a Gurugram locality, not the Madhya Pradesh district."""
        districts = self.gazetteer.districts
        named_states = {state.state for c in candidates for state in c.match.states}
        haryana = HARYANA in named_states or any(
            c.accepted and c.place and districts[c.place.district].state == HARYANA and not c.dateline
            for c in candidates)
        if not haryana:
            return
        # accepted names per state and district, kept up to date as names are dropped below (one pass, not one
        # pass per name: a long text names thousands of places)
        accepted: dict[str, Counter[str]] = defaultdict(Counter)
        for candidate in candidates:
            if candidate.accepted and candidate.place:
                accepted[districts[candidate.place.district].state][candidate.place.district] += 1
        for candidate in candidates:
            place = candidate.place
            if not candidate.accepted or place is None:
                continue
            state = districts[place.district].state
            if state == HARYANA or state in named_states:
                continue
            in_state = accepted[state]
            others = in_state.total() > in_state[place.district]
            after = _next_words(words, candidate.match.fend, 1)
            typed = bool(after) and after[0] in _TYPE_AFTER_STRONG
            candidate.accepted = others or typed
            if not candidate.accepted:
                in_state[place.district] -= 1

    # --- output --------------------------------------------------------------------------------------------
    def _tags(self, full: str, words: str, candidates: list[_Candidate],
              published_at: datetime | None) -> list[DistrictTag]:
        by_district: dict[str, list[_Candidate]] = defaultdict(list)
        datelined: dict[str, list[_Candidate]] = defaultdict(list)
        for candidate in candidates:
            if candidate.place is None or not candidate.accepted:
                continue
            if candidate.counts:
                by_district[candidate.place.district].append(candidate)
            elif candidate.dateline and not (candidate.attributive or candidate.road):
                datelined[candidate.place.district].append(candidate)
        for key in [k for k, found in by_district.items() if k in _CAPITALS and len(found) < 2]:
            del by_district[key]
        if not by_district and len(datelined) == 1 and _has_local_cue(words):
            by_district.update(datelined)
        tags: dict[str, DistrictTag] = {}
        for key, found in by_district.items():
            tag = self._tag(key, found, full, published_at)
            same = tags.get(tag.key)
            if same is None:
                tags[tag.key] = tag
                continue
            # Before the split a Hansi-area place and Hisar itself both land on Hisar: one tag, all the evidence.
            same.evidence = (same.evidence + tag.evidence)[:MAX_EVIDENCE]
            same.also_under = [*same.also_under, *(k for k in tag.also_under if k not in same.also_under)]
            same.place = same.place or tag.place
        return list(tags.values())

    def _tag(self, key: str, found: list[_Candidate], full: str, published_at: datetime | None) -> DistrictTag:
        gazetteer = self.gazetteer
        district = gazetteer.districts[key]
        also_under: list[str] = []
        # Coverage of Hansi-area places from before the split is Hisar's by the map of its day, and stays
        # findable under Hansi too; from the split on (or undated) it is Hansi's alone, so that district counts
        # after the split do not count it twice.
        if key == gazetteer.hansi_key and published_at is not None and published_at.date() < gazetteer.hansi_split:
            district = gazetteer.districts[gazetteer.hansi_parent]
            also_under = [gazetteer.hansi_key]
        evidence = [
            Evidence(field=c.field_name, start=c.match.start - c.offset, end=c.match.end - c.offset,
                     text=full[c.match.start:c.match.end])
            for c in found[:MAX_EVIDENCE]
        ]
        places = [c.place.place for c in found if c.place and c.place.kind != "district"]
        return DistrictTag(name=district.name, state=district.state, lgd_code=district.lgd_code,
                           place=places[0] if places else None, also_under=also_under, evidence=evidence)


def _by_district(places: tuple[Place, ...]) -> dict[str, list[Place]]:
    """The places a name may be, grouped by district."""
    options: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        options[place.district].append(place)
    return options


def _gap_after_is_space(full: str, end: int) -> bool:
    """True when only spaces separate a name from the next word (no "।", comma or full stop)."""
    gap = _GAP.match(full, end)
    return gap is None or not gap.group(0).strip(" ")


def _gap_before_is_space(full: str, start: int) -> bool:
    """True when only spaces separate a name from the word before it."""
    gap = _GAP_BEFORE.search(full[max(0, start - 20):start])
    return gap is None or not gap.group(0).strip(" ")


def _next_words(words: str, end: int, count: int) -> list[str]:
    return words[end:end + 80].split(" ", count + 1)[1:count + 1] if end < len(words) else []


def _previous_words(words: str, start: int, count: int) -> list[str]:
    return words[max(0, start - 80):start].split()[-count:] if start > 0 else []


def _indexed(sequences: Iterable[tuple[str, ...]], position: int) -> dict[str, list[tuple[str, ...]]]:
    """Word sequences grouped by their word at ``position`` (0: first, -1: last), to test only the likely ones."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for seq in sequences:
        index.setdefault(seq[position], []).append(tuple(seq))
    return index


_ATTRIBUTIVE_AFTER_BY_HEAD = _indexed(_ATTRIBUTIVE_AFTER, 0)
_ATTRIBUTIVE_BEFORE_BY_TAIL = _indexed(_ATTRIBUTIVE_BEFORE, -1)


def _attributive(after: list[str], before: list[str]) -> bool:
    """True when the words around a name make it a person's constituency, home town or office."""
    if after and any(tuple(after[:len(seq)]) == seq for seq in _ATTRIBUTIVE_AFTER_BY_HEAD.get(after[0], ())):
        return True
    return bool(before) and any(tuple(before[-len(seq):]) == seq
                                for seq in _ATTRIBUTIVE_BEFORE_BY_TAIL.get(before[-1], ()))


def _elsewhere(full: str, match: NameMatch) -> bool:
    """True when the name's clause makes it a person's origin, an official's other posting or a place in passing."""
    before = _clause_before(full, match.start)
    if _contains_any(before, _ELSEWHERE_BEFORE_BY_HEAD):
        return True
    after = _clause_after(full, match.end)
    if after and any(tuple(after[:len(seq)]) == seq for seq in _ELSEWHERE_FIRST_BY_HEAD.get(after[0], ())):
        return True
    if _contains_any(after[:_AFTER_WORDS], _ELSEWHERE_AFTER_BY_HEAD):
        return True
    # "X के रहने वाले", "X जिले के एक गांव का रहने वाला": origin; "X में रहने वाले": people living there
    lives = after[:_LIVES_WORDS]
    return _LIVES in lives and any(word == _LIVES and lives[i - 1] in _LIVES_OF for i, word in enumerate(lives) if i)


def _clause_before(full: str, start: int) -> list[str]:
    head = full[max(0, start - 120):start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    return fold(head[cut:]).split()[-_CLAUSE_WORDS:]


def _clause_after(full: str, end: int) -> list[str]:
    tail = full[end:end + 120]
    cut = _CLAUSE_END.search(tail)
    return fold(tail[:cut.start()] if cut else tail).split()[:_CLAUSE_WORDS]


_ELSEWHERE_BEFORE_BY_HEAD = _indexed(_ELSEWHERE_BEFORE, 0)
_ELSEWHERE_AFTER_BY_HEAD = _indexed(_ELSEWHERE_AFTER, 0)
_ELSEWHERE_FIRST_BY_HEAD = _indexed(_ELSEWHERE_FIRST, 0)


def _contains_any(words: list[str], by_head: dict[str, list[tuple[str, ...]]]) -> bool:
    """True when ``words`` hold one of the sequences (indexed by their first word) as consecutive words."""
    if by_head.keys().isdisjoint(words):  # most clauses hold no first word at all
        return False
    return any(tuple(words[i:i + len(seq)]) == seq for i, word in enumerate(words) for seq in by_head.get(word, ()))


def _place_follows(starts: dict[int, _Candidate], words: str, end: int, within: int) -> bool:
    """True when a gazetteer place begins within ``within`` words after folded offset ``end``."""
    position = end + 1
    for _ in range(within + 1):
        found = starts.get(position)
        if found is not None and found.match.places:
            return True
        following = words.find(" ", position)
        if following < 0:
            return False
        position = following + 1
    return False


def _place_precedes(candidates: list[_Candidate], index: int) -> bool:
    """True when the name before "से" in "X से Y" is itself a place (so Y is a route's other end)."""
    if index == 0:
        return False
    candidate, previous = candidates[index], candidates[index - 1]
    return bool(previous.match.places) and candidate.match.fstart - previous.match.fend <= len(_ROUTE_FROM) + 2


def _listed(full: str, left: _Candidate, right: _Candidate) -> bool:
    """True when two names stand in one list: only "और", "and", "व" or a comma between them."""
    between = full[left.match.end:right.match.start].strip(" ,")
    return between in ("", "और", "and", "व", "or", "या")


def _joined(full: str, left: NameMatch, right: NameMatch) -> bool:
    """True when two names are written as one compound (``दिल्ली-जयपुर``, ``Delhi/Jaipur``, ``Delhi Jaipur``)."""
    between = full[left.end:right.start].strip()
    return between in ("", "-", "–", "—", "/")


def _at_segment_start(full: str, start: int) -> bool:
    prefix = full[max(0, start - 200):start].rstrip(_LEAD_NOISE)
    return not prefix or prefix[-1] in _SEGMENT_END or start - len(prefix) > 200


def _is_dateline(full: str, match: NameMatch, headline_end: int, gazetteer: Gazetteer) -> bool:
    """Whether a name is the place a report was filed from rather than something the story is about."""
    after = full[match.end:match.end + 60]
    written = full[match.start:match.end]
    mark = after.lstrip(" ")[:1]
    if mark not in _DATELINE_MARKS and not (written.isupper() and written.isascii()):
        return False  # every dateline form has punctuation right after the place, or is written in capitals
    if _DATELINE_DATE.match(after):
        return True
    paren = _DATELINE_PAREN.match(after)
    if paren:
        # "सोहना (Sohna):" glosses the same place; anything else in brackets is an agency or a reporter
        glossed = gazetteer.lookup(paren.group(1))
        if not any(p.district in {q.district for q in match.places} for p in glossed):
            return True
    at_start = _at_segment_start(full, match.start)
    if _DATELINE_COLON.match(after) and (at_start or match.start < headline_end):
        return True
    if at_start and _DATELINE_START_PUNCT.match(after):
        return True
    return at_start and len(written) >= 4 and written.isupper() and written.isascii()


def _has_local_cue(words: str) -> bool:
    return bool(_LOCAL_CUE_WORDS.intersection(words.split())) or any(p in words for p in _LOCAL_CUE_PHRASES)


@lru_cache(maxsize=1)
def get_district_tagger() -> DistrictTagger:
    """The process-wide district tagger."""
    return DistrictTagger()


@register_tagger("districts")
class DistrictsComponent:
    """Sets ``districts``: the districts each mention is about, with evidence (Hansi by ``published_at``)."""

    assigns: ClassVar[tuple[str, ...]] = ("districts",)
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.tagger = get_district_tagger()

    def tag_many(self, mentions: list[Mention]) -> None:
        """Tag each mention's districts."""
        tag = self.tagger.tag
        for mention in mentions:
            mention.districts = tag(mention.text, mention.title, mention.published_at)

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``districts``: the district keys, in tag order."""
        return {"districts": [d.key for d in mention.districts]}


def resolve_district(name: str) -> list[str]:
    """Canonical district keys for a name in any script or spelling (गुड़गांव, Gurgaon, mewat, Lucknow,
    ``उत्तर प्रदेश:लखनऊ``); ``[]`` when the name is no known district."""
    gazetteer = load_gazetteer()
    name = name.strip()
    if not name:
        return []
    if name in gazetteer.districts:
        return [name]
    if ":" in name:
        state_part, district_part = (part.strip() for part in name.split(":", 1))
        state = _resolve_state(gazetteer, state_part)
        return [key for key in resolve_district(district_part) if gazetteer.districts[key].state == state]
    places = [p for p in gazetteer.lookup(name) if p.kind not in ("village", "locality")]
    if not places:
        places = gazetteer.lookup(name)
    districts = [p for p in places if p.kind == "district"] or places
    keys: list[str] = []
    for place in districts:
        if place.district not in keys:
            keys.append(place.district)
    # a Haryana name is what a Haryana analyst means (Fatehabad, not the Agra tehsil)
    haryana = [k for k in keys if gazetteer.districts[k].state == HARYANA]
    return haryana or keys


def _resolve_state(gazetteer: Gazetteer, name: str) -> str | None:
    return gazetteer.state_by_form.get(fold(name))
