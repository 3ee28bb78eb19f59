"""What the collectors search for: one Topic per scheme, per district, and per watchlist keyword group.

Scheme names and aliases come from the NLP stage's catalogue (``nlp.schemes.catalogue()``, or its shipped
``nlp/resources/schemes.json``) and district spellings from its gazetteer (``nlp.gazetteer``); only when
neither is installed does a small built-in seed keep the collectors working. The seed entries are facts copied
by hand from the scheme list and district alias table named in ``nlp/resources/PROVENANCE.md``; nothing
outside the repository is read at run time.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import nlp
from janmat.collectors.watchlist import Watchlist
from janmat.core.mention import HARYANA

log = logging.getLogger(__name__)

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
TopicKind = Literal["scheme", "district", "keyword"]


@dataclass(frozen=True)
class Topic:
    """One thing to search for: a scheme, a district or a keyword group, with all its written forms."""

    kind: TopicKind
    name: str
    terms: tuple[str, ...]

    @property
    def key(self) -> str:
        """Stable key of the topic, used for cursors and in ``meta.collector_query``: ``scheme:pm_kisan``."""
        return f"{self.kind}:{self.name}"


# Interim seed (see module docstring): a few Haryana-relevant schemes and the 23 districts.
_SEED_SCHEMES: dict[str, tuple[str, ...]] = {
    "pm_kisan": ("प्रधानमंत्री किसान सम्मान निधि", "पीएम किसान", "किसान सम्मान निधि", "PM Kisan",
                 "PM-KISAN", "Kisan Samman Nidhi"),
    "ab_pmjay": ("आयुष्मान भारत", "आयुष्मान कार्ड", "Ayushman Bharat", "Ayushman card", "PM-JAY"),
    "ppp_family_id": ("परिवार पहचान पत्र", "फैमिली आईडी", "Parivar Pehchan Patra", "Haryana Family ID"),
    "lado_lakshmi": ("लाडो लक्ष्मी", "लाड़ो लक्ष्मी", "Lado Lakshmi", "Lado Laxmi"),
    "mfmb": ("मेरी फसल मेरा ब्यौरा", "मेरी फसल मेरा ब्योरा", "Meri Fasal Mera Byora"),
    "old_age_samman": ("बुढ़ापा पेंशन", "वृद्धावस्था सम्मान भत्ता", "Budhapa pension", "Old Age Samman Allowance"),
    "har_ghar_har_grihini": ("हर घर हर गृहिणी", "हर घर हर ग्रहणी", "Har Ghar Har Grihini"),
    "hkrn": ("हरियाणा कौशल रोजगार निगम", "कौशल रोजगार निगम", "Haryana Kaushal Rozgar Nigam", "HKRN"),
}
_SEED_DISTRICTS: dict[str, tuple[str, ...]] = {
    "Ambala": ("अंबाला", "अम्बाला", "Ambala"),
    "Bhiwani": ("भिवानी", "Bhiwani"),
    "Charkhi Dadri": ("चरखी दादरी", "Charkhi Dadri"),
    "Faridabad": ("फरीदाबाद", "फ़रीदाबाद", "Faridabad"),
    "Fatehabad": ("फतेहाबाद", "Fatehabad"),
    "Gurugram": ("गुरुग्राम", "गुड़गांव", "Gurugram", "Gurgaon"),
    "Hansi": ("हांसी", "Hansi"),
    "Hisar": ("हिसार", "Hisar", "Hissar"),
    "Jhajjar": ("झज्जर", "Jhajjar"),
    "Jind": ("जींद", "Jind"),
    "Kaithal": ("कैथल", "Kaithal"),
    "Karnal": ("करनाल", "Karnal"),
    "Kurukshetra": ("कुरुक्षेत्र", "Kurukshetra"),
    "Mahendragarh": ("महेंद्रगढ़", "Mahendragarh", "Mahendergarh", "नारनौल", "Narnaul"),
    "Nuh": ("नूंह", "नूह", "Nuh", "Mewat", "मेवात"),
    "Palwal": ("पलवल", "Palwal"),
    "Panchkula": ("पंचकूला", "Panchkula"),
    "Panipat": ("पानीपत", "Panipat"),
    "Rewari": ("रेवाड़ी", "Rewari"),
    "Rohtak": ("रोहतक", "Rohtak"),
    "Sirsa": ("सिरसा", "Sirsa"),
    "Sonipat": ("सोनीपत", "Sonipat", "Sonepat"),
    "Yamunanagar": ("यमुनानगर", "Yamunanagar", "Yamuna Nagar"),
}


def _strings(values: Iterable[Any]) -> list[str]:
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _field(entry: Any, name: str) -> Any:
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


def _safe_aliases(aliases: Any) -> list[str]:
    """Alias texts a platform search may use: plain strings, or catalogue aliases whose rule is ``exact``.

    Aliases with other rules (case-only acronyms, words that need a cue or context) would flood an open
    platform's results with unrelated posts, so they are left to the tagger.
    """
    if isinstance(aliases, str):
        return _strings(aliases.split("|"))
    texts = []
    for alias in aliases or []:
        if isinstance(alias, str):
            texts.append(alias)
        elif isinstance(alias, tuple | list) and alias:  # (text, rule)
            if len(alias) < 2 or alias[1] == "exact":
                texts.append(alias[0])
        elif (_field(alias, "rule") or "exact") == "exact":
            texts.append(_field(alias, "text"))
    return _strings(texts)


def _catalogue_entries() -> list[Any] | None:
    """The NLP stage's scheme catalogue: ``nlp.schemes.catalogue()``, else its shipped JSON, else None."""
    try:
        from nlp.schemes import catalogue  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return list(catalogue())
    resource = Path(nlp.__file__).resolve().parent / "resources" / "schemes.json"
    if resource.exists():
        return list(json.loads(resource.read_text(encoding="utf-8")).get("schemes", []))
    return None


def _catalogue_schemes() -> dict[str, tuple[str, ...]] | None:
    """Scheme id → names and safe aliases from the catalogue (benefit schemes only), or None without one."""
    entries = _catalogue_entries()
    if not entries:
        return None
    schemes: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        scheme_id = _field(entry, "id") or _field(entry, "scheme_id")
        if not scheme_id or (_field(entry, "kind") or "scheme") != "scheme":
            continue
        names = _strings([_PARENTHESIS.sub("", name or "") for name in
                          (_field(entry, "name_hi"), _field(entry, "name_en"), _field(entry, "name"))])
        names += _safe_aliases(_field(entry, "aliases"))
        if names:
            schemes[str(scheme_id)] = tuple(dict.fromkeys(names))
    return schemes or None


def _gazetteer_districts() -> dict[str, tuple[str, ...]] | None:
    """Haryana district → its district-level names and spellings from the gazetteer, or None without one."""
    try:
        from nlp.gazetteer import RESOURCE, load_gazetteer
    except ImportError:
        return None
    try:
        gazetteer = load_gazetteer()
        with gzip.open(RESOURCE, "rt", encoding="utf-8") as handle:
            places = json.load(handle).get("places", [])
    except (OSError, ValueError):
        return None
    districts: dict[str, list[str]] = {
        key: _strings([d.name_hi, d.name]) for key, d in gazetteer.districts.items() if d.state == HARYANA
    }
    for place in places:
        if place.get("district") in districts and place.get("kind") == "district" and place.get("strength") == "strong":
            districts[place["district"]].append(place["form"])
    return {key: tuple(dict.fromkeys(names)) for key, names in districts.items() if names} or None


def scheme_topics() -> list[Topic]:
    """One topic per scheme in the catalogue (or the interim seed)."""
    schemes = _catalogue_schemes()
    if schemes is None:
        log.debug("nlp.schemes not available yet; using the collectors' seed list of %d schemes", len(_SEED_SCHEMES))
        schemes = _SEED_SCHEMES
    return [Topic("scheme", scheme_id, terms) for scheme_id, terms in schemes.items()]


def district_topics() -> list[Topic]:
    """One topic per Haryana district in the gazetteer (or the interim seed)."""
    districts = _gazetteer_districts() or _SEED_DISTRICTS
    return [Topic("district", name, terms) for name, terms in districts.items()]


def keyword_topics(watchlist: Watchlist) -> list[Topic]:
    """One topic per keyword group in the watchlist."""
    return [Topic("keyword", group.name, tuple(group.terms)) for group in watchlist.keywords]


def all_topics(watchlist: Watchlist) -> list[Topic]:
    """Schemes, districts and the watchlist's keyword groups, in that order."""
    return [*scheme_topics(), *district_topics(), *keyword_topics(watchlist)]
