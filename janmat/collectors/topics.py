"""What the collectors search for: one Topic per scheme, per district, and per watchlist keyword group.

Scheme aliases come from the NLP stage's catalogue (``nlp.schemes.catalogue()``) and district names from its
gazetteer (``nlp.gazetteer``) once those modules exist; until then a small built-in seed keeps the collectors
working. The seed entries are facts copied by hand from the project's reference data (``shared/data/schemes``
and ``shared/data/geo/haryana_district_aliases.csv``, see their PROVENANCE.md); nothing reads those files at
run time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from janmat.collectors.watchlist import Watchlist

log = logging.getLogger(__name__)

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


def _catalogue_schemes() -> dict[str, tuple[str, ...]] | None:
    """Scheme id → names and aliases from ``nlp.schemes.catalogue()``, or None while that module is absent."""
    try:
        from nlp.schemes import catalogue  # type: ignore[import-not-found]
    except ImportError:
        return None
    schemes: dict[str, tuple[str, ...]] = {}
    for entry in catalogue():
        scheme_id = _field(entry, "id") or _field(entry, "scheme_id")
        if not scheme_id:
            continue
        names = _strings([_field(entry, "name_hi"), _field(entry, "name_en"), _field(entry, "name")])
        aliases = _field(entry, "aliases") or []
        names += _strings(aliases.split("|") if isinstance(aliases, str) else aliases)
        if names:
            schemes[str(scheme_id)] = tuple(dict.fromkeys(names))
    return schemes or None


def _gazetteer_districts() -> dict[str, tuple[str, ...]] | None:
    """Haryana district → names and spellings from ``nlp.gazetteer``, or None while that module is absent."""
    try:
        from nlp import gazetteer  # type: ignore[attr-defined]
    except ImportError:
        return None
    source = getattr(gazetteer, "district_aliases", None)
    if not callable(source):
        return None
    districts: dict[str, tuple[str, ...]] = {}
    for name, aliases in dict(source()).items():
        names = _strings([name, *aliases])
        if names:
            districts[str(name)] = tuple(dict.fromkeys(names))
    return districts or None


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
