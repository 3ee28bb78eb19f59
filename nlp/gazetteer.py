"""The district gazetteer: every Indian district and Haryana's places, loaded once into an Aho-Corasick automaton.

The data file ``nlp/resources/gazetteer.json.gz`` is built by ``scripts/build_gazetteer.py`` (see
``nlp/resources/PROVENANCE.md``). Names are matched after ``nlp.normalize.fold``: nukta, chandrabindu,
half-nasals, vowel length, case and punctuation do not matter, and matches must cover whole words.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import ahocorasick

from nlp.automaton import iter_matches
from nlp.normalize import FoldedText, fold

RESOURCE = Path(__file__).resolve().parent / "resources" / "gazetteer.json.gz"
STRENGTH_RANK = {"strong": 3, "medium": 2, "ambiguous": 1, "weak": 0}

# Word endings that may be glued to a place name and still leave it a mention of the place
# (रोहतकवासी, अंबालावाले, Gurgaonwalas); compared after folding.
_GLUED_SUFFIXES = ("वासि", "वासियों", "वासियो", "वाले", "वालों", "वाला", "वालि", "wala", "walas", "wale", "walon",
                   "ites", "ite")


@dataclass(frozen=True, slots=True)
class District:
    """One district: canonical key, English and Hindi name, state, LGD code."""

    key: str
    name: str
    name_hi: str
    state: str
    lgd_code: int | None


@dataclass(frozen=True, slots=True)
class Place:
    """One way of writing one place, and the district it lies in."""

    form: str
    place: str
    district: str
    kind: str
    strength: str
    common: bool = False
    hansi_area: bool = False


@dataclass(frozen=True, slots=True)
class StateName:
    """A state's name as written (हरियाणा, UP...), used only as context."""

    form: str
    state: str


@dataclass(slots=True)
class NameMatch:
    """A gazetteer name found in a text: folded and original spans and what it may refer to."""

    fstart: int
    fend: int
    start: int
    end: int
    places: tuple[Place, ...]
    states: tuple[StateName, ...]


class Gazetteer:
    """Districts, places and state names with one automaton over all their folded forms."""

    def __init__(self, document: dict) -> None:
        self.districts: dict[str, District] = {
            key: District(key, info["name"], info.get("name_hi", ""), info["state"], info.get("lgd_code"))
            for key, info in document["districts"].items()
        }
        hansi = document["hansi"]
        self.hansi_key: str = hansi["district"]
        self.hansi_parent: str = hansi["parent"]
        self.hansi_split: date = date.fromisoformat(hansi["split_date"])
        buckets: dict[str, tuple[list[Place], list[StateName]]] = {}
        for entry in document["places"]:
            place = Place(entry["form"], entry["place"], entry["district"], entry["kind"], entry["strength"],
                          entry.get("common", False), entry["district"] == self.hansi_key)
            for key in _forms_of(entry["form"], place.strength):
                buckets.setdefault(key, ([], []))[0].append(place)
        self.state_by_form: dict[str, str] = {}
        for state, forms in document["states"].items():
            for form in forms:
                key = fold(form)
                if key:
                    buckets.setdefault(key, ([], []))[1].append(StateName(form, state))
                    self.state_by_form.setdefault(key, state)
        self.automaton = ahocorasick.Automaton()
        for key, (places, states) in buckets.items():
            self.automaton.add_word(key, (len(key), tuple(places), tuple(states)))
        self.automaton.make_automaton()
        self._by_folded = {key: places for key, (places, _) in buckets.items() if places}

    def find(self, folded: FoldedText) -> list[NameMatch]:
        """Whole-word matches of any name, longest first where they overlap, in text order."""
        text = folded.text
        size = len(text)
        found: list[tuple[int, int, tuple, tuple]] = []
        for last, (length, places, states) in iter_matches(self.automaton, text):
            start, end = last - length + 1, last + 1
            if start > 0 and text[start - 1] != " ":
                continue
            if end < size and text[end] != " ":
                word_end = text.find(" ", end)
                tail = text[end:] if word_end < 0 else text[end:word_end]
                if tail not in _GLUED_SUFFIXES:
                    continue
            found.append((start, end, places, states))
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        matches: list[NameMatch] = []
        covered = -1
        for start, end, places, states in found:
            if start < covered:
                continue
            covered = end
            ostart, oend = folded.to_original(start, end)
            matches.append(NameMatch(start, end, ostart, oend, places, states))
        return matches

    def lookup(self, name: str) -> list[Place]:
        """Places written exactly this way (after folding)."""
        return list(self._by_folded.get(fold(name), ()))


def _forms_of(form: str, strength: str) -> list[str]:
    """The folded keys for one written form, with the oblique case of Hindi names in -ा (अंबाला -> अंबाले)."""
    key = fold(form)
    if not key:
        return []
    keys = [key]
    if strength in ("strong", "medium") and key.endswith("\u093e") and "\u0900" <= key[0] <= "\u097f":
        keys.append(key[:-1] + "\u0947")
    return keys


@lru_cache(maxsize=1)
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    source = path or RESOURCE
    if not source.exists():
        raise FileNotFoundError(f"gazetteer missing at {source}: run scripts/build_gazetteer.py")
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        return Gazetteer(json.load(handle))


DISTRICT_POINTS = Path(__file__).resolve().parent / "resources" / "district_points.json"


@lru_cache(maxsize=1)
def _district_points() -> dict[str, tuple[float, float]]:
    return {name: (lon, lat) for name, (lon, lat) in json.loads(DISTRICT_POINTS.read_text(encoding="utf-8")).items()}


def district_point(name: str, state: str = "Haryana") -> tuple[float, float] | None:
    """(lon, lat) of a Haryana district's headquarters (``scripts/build_district_points.py``); None elsewhere."""
    return _district_points().get(name) if state == "Haryana" else None
