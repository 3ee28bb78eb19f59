"""Build Janmat's scheme catalogue (``nlp/resources/schemes.json``) from ``../shared/data/schemes/schemes.csv``.

Run from the repo root: ``.venv/bin/python scripts/build_scheme_catalogue.py [--shared PATH]``.

Each alias gets a matching rule, so the tagger knows which names are safe alone and which need context:

* ``exact`` — a distinctive name (मेरा पानी मेरी विरासत, PM-KISAN): tags on its own;
* ``case`` — an acronym (MUDRA, KUSUM, HAPPY): must be written in capitals, as acronyms are;
* ``cue`` — a short acronym or a name that is also an everyday word or a person's name (चिरायु "long-lived",
  दयालु "kind", Ujjwala, Smart City): needs a scheme word (योजना, card, portal, pension…) close by, or another
  name of the same scheme in the text;
* ``own-cue`` — like ``cue`` but only the scheme's own words count (PM SHRI needs "school", because श्री is also
  an honorific: "पीएम श्री नरेन्द्र मोदी");
* ``support`` — a generic phrase (स्वच्छता अभियान, संकल्प यात्रा): only strengthens another name of the scheme;
* ``haryana`` — Family ID / फैमिली आईडी: needs Haryana in the text (other states have family IDs too);
* ``ppp`` — PPP / पीपीपी: Parivar Pehchan Patra only with family or Haryana context and never next to
  "partnership" / भागीदारी / "PPP mode".

Keyword hints are kept apart and never tag on their own. Institutions and portals that the catalogue lists
(HKRN, CM Window, e-Kharid, Antyodaya SARAL) are kept for collectors' queries but marked ``institution``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlp.normalize import fold  # noqa: E402

OUT = REPO / "nlp" / "resources" / "schemes.json"

INSTITUTIONS = {"hkrn", "cm_window", "ekharid", "antyodaya_saral"}

# Aliases that are ordinary words, names or generic phrases, by how much context they need (see module doc).
# Written for Janmat from the catalogue's own ambiguity notes and a reading of the aliases.
RULES: dict[str, str] = {
    "PPP": "ppp", "पीपीपी": "ppp",
    "Family ID": "haryana", "फैमिली आईडी": "haryana",
    "Chirayu": "cue", "चिरायु": "cue",
    "दयालु": "cue", "Ujjwala": "cue", "उज्ज्वला": "cue", "Jan Dhan": "cue", "जनधन": "cue",
    "Smart City": "cue", "स्मार्ट सिटी": "cue", "Super 100": "cue", "सुपर 100": "cue", "Super-100": "cue",
    "Buniyaad": "cue", "Bhavantar": "cue", "भावांतर": "cue", "Swamitva": "cue", "Aajeevika": "cue",
    "Digital India": "cue", "डिजिटल इंडिया": "cue", "Skill India": "cue", "Ayushman Bharat": "cue",
    "फसल बीमा": "cue", "Suraksha Bima": "cue", "Atal Pension": "cue", "अटल पेंशन": "cue",
    # "पीएम श्री नरेन्द्र मोदी": श्री is an honorific, so PM SHRI (schools) needs a school word next to it
    "PM SHRI": "own-cue", "PM-SHRI": "own-cue", "पीएम श्री": "own-cue",
    "Agniveers": "cue", "Health and Wellness Centre": "support", "हेल्थ एंड वेलनेस सेंटर": "support",
    "स्वच्छता अभियान": "support", "संकल्प यात्रा": "support", "इंद्रधनुष": "support", "हर घर नल": "support",
    "नल से जल": "support", "स्वच्छ सर्वेक्षण": "support", "Swachh Survekshan": "support",
    "प्राकृतिक खेती": "support", "Prakritik Kheti": "support", "पराली प्रबंधन": "support",
    "फसल अवशेष प्रबंधन": "support", "क्षतिपूर्ति पोर्टल": "support", "शहरी आवास योजना": "cue",
    "ग्रामीण आवास योजना": "cue", "Gramin Awas": "cue", "Shehri Awas": "cue", "सूर्य घर": "cue",
    "Surya Ghar": "cue", "Lal Dora mukt": "cue", "लाल डोरा मुक्त": "cue", "Mid Day Meal": "exact",
}
# Extra words that vouch for particular aliases besides the general scheme words.
EXTRA_CUES: dict[str, list[str]] = {
    "happy_card": ["bus", "बस", "roadways", "रोडवेज", "परिवहन", "travel", "यात्रा"],
    "pmuy": ["gas", "गैस", "सिलेंडर", "cylinder", "LPG", "एलपीजी", "connection", "कनेक्शन"],
    "super_100": ["छात्र", "छात्रों", "students", "कोचिंग", "coaching", "IIT", "NEET", "JEE", "हरियाणा", "Haryana"],
    "chirayu_haryana": ["आयुष्मान", "Ayushman", "हरियाणा", "Haryana", "इलाज", "treatment", "अस्पताल", "hospital"],
    "smart_cities": ["mission", "मिशन", "project", "projects", "प्रोजेक्ट", "परियोजना", "limited", "लिमिटेड", "ltd",
                     "company", "कंपनी", "SPV", "CEO", "सीईओ"],
    "pmjdy": ["account", "accounts", "खाता", "खाते", "खातों", "bank", "बैंक"],
    "bhavantar_bharpai": ["भरपाई", "bharpai", "किसान", "farmers", "kisan", "फसल"],
    "pm_shri": ["school", "schools", "स्कूल", "स्कूलों", "विद्यालय", "विद्यालयों"],
    "ab_pmjay": ["card", "कार्ड", "yojana", "scheme", "योजना", "hospital", "अस्पताल", "इलाज", "treatment"],
}
# Names without the rural/urban qualifier: decided by the words around them, or not at all.
SPLIT_ALIASES: dict[str, dict[str, list[str]]] = {
    "awas": {
        "aliases": ["PM Awas Yojana", "Pradhan Mantri Awas Yojana", "PMAY", "प्रधानमंत्री आवास योजना",
                    "पीएम आवास योजना", "प्रधानमंत्री आवास", "PM Awas"],
        "pmay_g": ["ग्रामीण", "gramin", "rural", "गांव", "गांवों", "village", "villages", "ग्रामीणों", "PMAY-G"],
        "pmay_u": ["शहरी", "urban", "shahri", "शहर", "शहरों", "city", "cities", "PMAY-U"],
    },
}
SCHEME_WORDS = [
    "योजना", "योजनाओं", "योजनाएं", "स्कीम", "scheme", "schemes", "yojana", "yojna", "कार्ड", "card", "cards",
    "पोर्टल", "portal", "मिशन", "mission", "अभियान", "abhiyan", "पेंशन", "pension", "भत्ता", "bhatta", "allowance",
    "लाभार्थी", "लाभार्थियों", "beneficiary", "beneficiaries", "आवेदन", "apply", "पात्र", "eligible", "लाभ",
    "benefit", "benefits", "पंजीकरण", "registration", "किस्त", "instalment", "installment", "सहायता", "assistance",
]
_PREFIX_VARIANTS = [
    ("Pradhan Mantri ", "PM "), ("PM ", "Pradhan Mantri "), ("प्रधानमंत्री ", "पीएम "), ("पीएम ", "प्रधानमंत्री "),
    ("Mukhyamantri ", "CM "), ("मुख्यमंत्री ", "सीएम "), ("Yojana", "Yojna"), ("Yojana", "Scheme"),
]


def _is_acronym(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and letters.isupper() and len(letters) <= 6 and " " not in alias.strip()


def _rule_for(alias: str) -> str:
    if alias in RULES:
        return RULES[alias]
    if _is_acronym(alias):
        letters = re.sub(r"[^A-Za-z]", "", alias)
        return "cue" if len(letters) <= 3 else "case"
    return "exact"


def _variants(alias: str) -> list[str]:
    out = [alias]
    for old, new in _PREFIX_VARIANTS:
        if old in alias:
            out.append(alias.replace(old, new))
    # hashtags and handles write multi-word names as one word (#SwachhBharat)
    if " " in alias.strip() and re.fullmatch(r"[A-Za-z ]+", alias.strip()):
        out.append(alias.replace(" ", ""))
    return out


def build(shared: Path) -> dict:
    """Assemble the catalogue document."""
    with (shared / "schemes" / "schemes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    schemes = []
    for row in rows:
        scheme_id = row["scheme_id"]
        names = [row["name_en"], row["name_hi"], *(a for a in row["aliases"].split("|") if a.strip())]
        aliases: dict[str, str] = {}
        for name in names:
            # "X (Y)" names: match X alone as well as the whole; Y only when it is an acronym (HAPPY, DAYALU) —
            # other bracketed parts are glosses ("Haryana", "incl. PMAY-U 2.0") that name nothing by themselves
            inner = [part for part in re.findall(r"\(([^)]+)\)", name) if _is_acronym(part)]
            parts = [name, *inner, re.sub(r"\s*\([^)]*\)", "", name)]
            for part in parts:
                part = part.strip()
                for variant in _variants(part):
                    if len(fold(variant).replace(" ", "")) < 3 and not _is_acronym(variant):
                        continue
                    rule = _rule_for(variant) if variant == part else _rule_for(part)
                    if rule == "case" and not _is_acronym(variant):
                        rule = "exact"
                    # a variant keeps its source's rule; the strictest wins when two names fold alike
                    aliases.setdefault(variant, rule)
        schemes.append({
            "id": scheme_id,
            "name_en": row["name_en"],
            "name_hi": row["name_hi"],
            "level": row["level"],
            "ministry": row["ministry_or_department"],
            "launched_year": int(row["launched_year"]) if row["launched_year"].isdigit() else None,
            "kind": "institution" if scheme_id in INSTITUTIONS else "scheme",
            "aliases": [{"text": text, "rule": rule} for text, rule in aliases.items()],
            "keyword_hints": [h for h in row["keyword_hints"].split("|") if h.strip()],
            "extra_cues": EXTRA_CUES.get(scheme_id, []),
        })
    return {"version": 1, "scheme_words": SCHEME_WORDS, "split_aliases": SPLIT_ALIASES, "schemes": schemes}


def main() -> None:
    """Build the catalogue and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.shared / "schemes" / "schemes.csv").exists():
        sys.exit(f"no schemes.csv under {args.shared} (pass --shared)")
    document = build(args.shared)
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    alias_count = sum(len(s["aliases"]) for s in document["schemes"])
    print(f"wrote {args.out.relative_to(REPO)}: {len(document['schemes'])} schemes, {alias_count} aliases")


if __name__ == "__main__":
    main()
