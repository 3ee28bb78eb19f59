"""Scheme tagger: which government schemes a mention names, with the evidence span for each.

Names and aliases come from the catalogue ``nlp/resources/schemes.json`` (built by
``scripts/build_scheme_catalogue.py``), each with a rule saying how much context it needs (see that script):
distinctive names tag alone, acronyms must be written in capitals, everyday words need a scheme word close by,
generic phrases only strengthen another name, PPP needs family or Haryana context and never "partnership".
Keyword hints never tag on their own.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import ahocorasick

from janmat.core.mention import HARYANA, Mention, SchemeTag
from nlp.automaton import iter_matches
from nlp.evidence import evidence_spans
from nlp.gazetteer import load_gazetteer
from nlp.normalize import FoldedText, fold, folded_text
from nlp.tagger import register_tagger

RESOURCE = Path(__file__).resolve().parent / "resources" / "schemes.json"
_SCHEME_SUFFIX = re.compile(r" (?:yojana|yojna|scheme|abhiyan|mission|योजना|स्कीम|अभियान|मिशन)$")
_CUE_WINDOW = 6  # words either side of an alias in which a scheme word must appear
_HARYANA = {fold("हरियाणा"), fold("haryana"), fold("हरियाना"), fold("hariyana")}
_FAMILY = {fold(w) for w in ("परिवार", "family", "parivar", "pariwar", "फैमिली", "पहचान", "pehchan", "meraparivar")}
_PARTNERSHIP = {fold(w) for w in ("partnership", "पार्टनरशिप", "भागीदारी", "mode", "model", "मोड", "मॉडल",
                                  "private", "प्राइवेट", "निजी", "सार्वजनिक")}
_CHIEF_MINISTER = {fold(w) for w in ("मुख्यमंत्री", "सीएम", "cm", "mukhyamantri", "chief")}
_PRIME_MINISTER = {fold(w) for w in ("प्रधानमंत्री", "पीएम", "pm", "pradhan", "prime")}
# "<state> [सरकार] की / के / का", "<state>'s" (folds to "<state> s") before a name: that state owns it
_OWNER_MARK = {fold(w) for w in ("की", "के", "का", "ki", "ke", "ka", "s")}
_GOVERNMENT = {fold(w) for w in ("सरकार", "sarkar", "government", "govt")}


@dataclass(frozen=True, slots=True)
class Scheme:
    """One catalogue entry: id, names, aliases with their matching rule, hints, level and ministry."""

    id: str
    name_en: str
    name_hi: str
    level: str
    ministry: str
    kind: str
    aliases: tuple[tuple[str, str], ...]
    keyword_hints: tuple[str, ...]
    launched_year: int | None = None
    extra_cues: frozenset[str] = field(default_factory=frozenset)

    def all_names(self) -> list[str]:
        """Every name and alias as written, for collectors that build platform queries."""
        return [self.name_en, self.name_hi, *(text for text, _ in self.aliases)]


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    rule: str
    scheme: Scheme


class SchemeTagger:
    """Tags mentions with catalogue schemes, one automaton over every folded alias."""

    def __init__(self, document: dict) -> None:
        self.schemes: dict[str, Scheme] = {}
        buckets: dict[str, list[_Alias]] = defaultdict(list)
        for entry in document["schemes"]:
            scheme = Scheme(
                id=entry["id"], name_en=entry["name_en"], name_hi=entry["name_hi"], level=entry["level"],
                ministry=entry["ministry"], kind=entry["kind"],
                aliases=tuple((a["text"], a["rule"]) for a in entry["aliases"]),
                keyword_hints=tuple(entry["keyword_hints"]), launched_year=entry.get("launched_year"),
                extra_cues=frozenset(fold(c) for c in entry.get("extra_cues", [])),
            )
            self.schemes[scheme.id] = scheme
            for text, rule in scheme.aliases:
                key = fold(text)
                if key and not any(a.scheme.id == scheme.id for a in buckets[key]):
                    buckets[key].append(_Alias(text, rule, scheme))
        self._split: dict[str, dict[str, frozenset[str]]] = {}
        for group in document.get("split_aliases", {}).values():
            choices = {sid: frozenset(fold(w) for w in words) for sid, words in group.items() if sid != "aliases"}
            for text in group["aliases"]:
                key = fold(text)
                # a name shared by the rural and urban schemes is decided by the words around it
                if len({a.scheme.id for a in buckets.get(key, [])} - set(choices)) == 0:
                    buckets.pop(key, None)
                    self._split[key] = choices
        self._scheme_words = frozenset(fold(w) for w in document["scheme_words"])
        self._by_name: dict[str, str] = {}
        for key, found in buckets.items():
            if len({a.scheme.id for a in found}) == 1:
                self._by_name.setdefault(key, found[0].scheme.id)
        for scheme in self.schemes.values():
            self._by_name[fold(scheme.id)] = scheme.id
            self._by_name[fold(scheme.id.replace("_", "-"))] = scheme.id
        self.automaton = ahocorasick.Automaton()
        for key, found in buckets.items():
            self.automaton.add_word(key, (len(key), tuple(found), None))
        for key, choices in self._split.items():
            self.automaton.add_word(key, (len(key), (), choices))
        self.automaton.make_automaton()

    def tag(self, text: str, title: str | None = None, haryana: bool = False) -> list[SchemeTag]:
        """Scheme tags for one mention; ``haryana`` says the mention is already known to be about Haryana."""
        full = f"{title}\n{text}" if title else text
        body_offset = len(title) + 1 if title else 0
        folded = folded_text(full)
        words = folded.text
        haryana = haryana or any(h in words for h in _HARYANA)
        hits = self._hits(words)
        if not hits:
            return []
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        pending: list[tuple[str, int, int, str]] = []  # scheme id, fstart, fend, rule
        for start, end, aliases, choices in hits:
            if choices is not None:
                chosen = self._choose_split(words, start, end, choices)
                if chosen:
                    pending.append((chosen, start, end, "exact"))
                continue
            alias = self._pick(words, start, aliases)
            if alias is None or alias.scheme.kind != "scheme":
                continue
            if alias.scheme.level == "haryana" and another_state_before(words[:start]):
                continue  # राजस्थान की मुख्यमंत्री तीर्थ यात्रा योजना: that state's programme of the same name
            pending.append((alias.scheme.id, start, end, alias.rule))
        # first pass: names that stand on their own; second: names that need another name of the same scheme
        standalone: set[str] = set()
        accepted: set[tuple[int, int]] = set()
        for scheme_id, start, end, rule in pending:
            if self._accept(rule, full, folded, words, start, end, self.schemes[scheme_id], haryana):
                found[scheme_id].append((start, end))
                standalone.add(scheme_id)
                accepted.add((start, end))
        for scheme_id, start, end, _rule in pending:
            if scheme_id in standalone and (start, end) not in accepted:
                found[scheme_id].append((start, end))
        tags = []
        for scheme_id, spans in found.items():
            if not spans:
                continue
            tags.append(SchemeTag(id=scheme_id, name=self.schemes[scheme_id].name_en,
                                  evidence=evidence_spans(folded, spans, body_offset)))
        return tags

    def shared_names(self) -> dict[str, tuple[str, ...]]:
        """Names two schemes share (PM Awas Yojana: rural or urban, by the words around it), folded, with the ids
        each may be."""
        return {key: tuple(choices) for key, choices in self._split.items()}

    def _hits(self, words: str) -> list[tuple[int, int, tuple[_Alias, ...], dict | None]]:
        size = len(words)
        raw = []
        for last, (length, aliases, choices) in iter_matches(self.automaton, words):
            start, end = last - length + 1, last + 1
            if (start > 0 and words[start - 1] != " ") or (end < size and words[end] != " "):
                continue
            raw.append((start, end, aliases, choices))
        raw.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        hits = []
        covered = -1
        for hit in raw:
            if hit[0] < covered:
                continue
            covered = hit[1]
            hits.append(hit)
        return hits

    def _pick(self, words: str, start: int, aliases: tuple[_Alias, ...]) -> _Alias | None:
        """One alias shared by a state and a central scheme goes by the title before it (CM / PM)."""
        if len(aliases) == 1:
            return aliases[0]
        previous = set(words[max(0, start - 40):start].split()[-2:])
        if previous & _CHIEF_MINISTER:
            wanted = "haryana"
        elif previous & _PRIME_MINISTER:
            wanted = "central"
        else:
            return None
        matching = [a for a in aliases if a.scheme.level == wanted]
        return matching[0] if len(matching) == 1 else None

    def _choose_split(self, words: str, start: int, end: int, choices: dict[str, frozenset[str]]) -> str | None:
        around = set(_window(words, start, end, _CUE_WINDOW))
        picked = [sid for sid, cues in choices.items() if around & cues]
        return picked[0] if len(picked) == 1 else None

    def _accept(self, rule: str, full: str, folded: FoldedText, words: str, start: int, end: int,
                scheme: Scheme, haryana: bool) -> bool:
        if rule == "exact":
            return True
        if rule == "case":
            ostart, oend = folded.to_original(start, end)
            written = full[ostart:oend]
            return written.upper() == written
        around = set(_window(words, start, end, _CUE_WINDOW))
        if rule == "cue":
            if not (around & (self._scheme_words | scheme.extra_cues)):
                return False
            ostart, oend = folded.to_original(start, end)
            written = full[ostart:oend]
            letters = [c for c in written if c.isascii() and c.isalpha()]
            # a short acronym must be in capitals as well
            return not (letters and len(letters) <= 3 and not written.isupper())
        if rule == "own-cue":
            return bool(around & scheme.extra_cues)
        if rule == "haryana":
            return haryana
        if rule == "ppp":
            ostart, oend = folded.to_original(start, end)
            written = full[ostart:oend]
            if written.isascii() and not written.isupper():
                return False
            near = set(_window(words, start, end, 8))
            if near & _PARTNERSHIP:
                return False
            return haryana or bool(around & _FAMILY)
        return False  # "support": never alone

    def resolve(self, name: str) -> str | None:
        """Scheme id for an id, name, alias or hint in any script or spelling; None when unknown.

        A trailing "Yojana" / "Scheme" / योजना may be added or left out ("Lado Lakshmi Yojana"), and a keyword
        hint that belongs to one scheme only ("old age pension") resolves too — this serves search filters,
        where the user's intent is plain, not tagging.
        """
        key = fold(name)
        found = self._by_name.get(key)
        if found is None:
            bare = _SCHEME_SUFFIX.sub("", key)
            found = self._by_name.get(bare) or self._by_name.get(f"{bare} {fold('योजना')}") or \
                self._by_name.get(f"{bare} yojana")
        if found is None:
            owners = {s.id for s in self.schemes.values() for hint in s.keyword_hints if fold(hint) == key}
            found = owners.pop() if len(owners) == 1 else None
        return found


def another_state_before(before: str) -> bool:
    """Whether the text just before a state scheme's name says another state owns it (राजस्थान की …, मध्य प्रदेश
    सरकार की मुख्यमंत्री …, Delhi's …): that state's programme, which may share a Haryana scheme's name (rule 6 of
    ``docs/schemes.md``). A state's name without a possessive (हरियाणा में भी … राजस्थान की तर्ज पर) says nothing."""
    words = fold(before[-80:]).split()[-6:]
    while words and words[-1] in _CHIEF_MINISTER:
        words.pop()
    if not words or words[-1] not in _OWNER_MARK:
        return False
    words.pop()
    if words and words[-1] in _GOVERNMENT:
        words.pop()
    states = load_gazetteer().state_by_form
    return any(states.get(" ".join(words[-n:]), HARYANA) != HARYANA for n in (3, 2, 1) if len(words) >= n)


def _window(words: str, start: int, end: int, count: int) -> list[str]:
    return words[max(0, start - 12 * count):start].split()[-count:] + words[end:end + 12 * count].split()[:count]


@lru_cache(maxsize=1)
def get_scheme_tagger(path: Path | None = None) -> SchemeTagger:
    """The process-wide scheme tagger, loaded once."""
    source = path or RESOURCE
    if not source.exists():
        raise FileNotFoundError(f"scheme catalogue missing at {source}: run scripts/build_scheme_catalogue.py")
    return SchemeTagger(json.loads(source.read_text(encoding="utf-8")))


@register_tagger("schemes")
class SchemesComponent:
    """Sets ``schemes``; reads ``districts``: a Haryana district is the Haryana context some scheme names need."""

    assigns: ClassVar[tuple[str, ...]] = ("schemes",)
    requires: ClassVar[tuple[str, ...]] = ("districts",)

    def __init__(self) -> None:
        self.tagger = get_scheme_tagger()

    def tag_many(self, mentions: list[Mention]) -> None:
        """Tag each mention's schemes."""
        tag = self.tagger.tag
        for mention in mentions:
            haryana = any(district.state == HARYANA for district in mention.districts)
            mention.schemes = tag(mention.text, mention.title, haryana=haryana)

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``schemes``: the scheme ids, in tag order."""
        return {"schemes": mention.scheme_ids}


def catalogue() -> list[Scheme]:
    """Every scheme in the catalogue (collectors build platform queries from ``Scheme.all_names()``)."""
    return list(get_scheme_tagger().schemes.values())


def resolve_scheme(name: str) -> str | None:
    """Scheme id for any id (``pm_kisan`` / ``pm-kisan``), name or alias (पीएम किसान, PM Kisan); None if unknown."""
    return get_scheme_tagger().resolve(name) if name and name.strip() else None
