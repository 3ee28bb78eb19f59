"""Build Janmat's district gazetteer (``nlp/resources/gazetteer.json.gz``) from ``../shared/data/geo``.

Run from the repo root: ``.venv/bin/python scripts/build_gazetteer.py [--shared PATH]``. The output is
committed; nothing reads ``../shared`` at run time.

What goes in:
* every Indian district (LGD ``district_en`` spelling, Hindi name) keyed ``State:District`` — Haryana's 23 by
  their bare English name;
* Haryana's district aliases (old names, variants, romanised spellings), sub-divisions, tehsils, sub-tehsils,
  blocks, towns (LGD / hand-compiled, see shared PROVENANCE) and India Post villages and localities;
* a short hand-compiled list of towns outside Haryana that the press names instead of their district
  (Noida, Bhiwadi, Mohali...) and same-named places in other states (Fatehabad in Agra, Dadri in UP);
* a ``common`` flag for names that are also ordinary words or person names, measured — not guessed — on two
  Hindi NER corpora (IL-NER, HiNER: how often the word is tagged a location vs. anything else) and on English
  word frequencies (wordfreq), so the tagger can ask for more evidence before trusting them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlp.normalize import fold  # noqa: E402

OUT = REPO / "nlp" / "resources" / "gazetteer.json.gz"
HARYANA = "Haryana"
HANSI_SPLIT_DATE = "2025-12-22"

# How strongly a bare mention of a place of this kind says "the story is about this district".
KIND_STRENGTH = {
    "district": "strong",
    "subdivision": "medium",
    "tehsil": "medium",
    "sub-tehsil": "medium",
    "block": "medium",
    "town": "medium",
    "village": "weak",
    "locality": "weak",
}

# Towns outside Haryana that the press names instead of their district, old city names, and same-named places
# in other states. Hand-compiled from general knowledge (2026); districts are LGD ``district_en`` spellings.
OTHER_STATE_PLACES: list[tuple[str, str, str, str]] = [
    # (English, Hindi, district key, kind)
    ("Fatehabad", "फतेहाबाद", "Uttar Pradesh:Agra", "tehsil"),
    ("Dadri", "दादरी", "Uttar Pradesh:Gautam Buddha Nagar", "tehsil"),
    ("Noida", "नोएडा", "Uttar Pradesh:Gautam Buddha Nagar", "town"),
    ("Greater Noida", "ग्रेटर नोएडा", "Uttar Pradesh:Gautam Buddha Nagar", "town"),
    ("Sahibabad", "साहिबाबाद", "Uttar Pradesh:Ghaziabad", "town"),
    ("Indirapuram", "इंदिरापुरम", "Uttar Pradesh:Ghaziabad", "town"),
    ("Vrindavan", "वृंदावन", "Uttar Pradesh:Mathura", "town"),
    ("Allahabad", "इलाहाबाद", "Uttar Pradesh:Prayagraj", "old_name"),
    ("Faizabad", "फैजाबाद", "Uttar Pradesh:Ayodhya", "old_name"),
    ("Bhiwadi", "भिवाड़ी", "Rajasthan:Khairthal-Tijara", "town"),
    ("Tijara", "तिजारा", "Rajasthan:Khairthal-Tijara", "town"),
    ("Neemrana", "नीमराना", "Rajasthan:Kotputli-Behror", "town"),
    ("Behror", "बहरोड़", "Rajasthan:Kotputli-Behror", "town"),
    ("Mohali", "मोहाली", "Punjab:S.A.S Nagar", "town"),
    ("SAS Nagar", "एसएएस नगर", "Punjab:S.A.S Nagar", "town"),
    ("Zirakpur", "जीरकपुर", "Punjab:S.A.S Nagar", "town"),
    ("Kharar", "खरड़", "Punjab:S.A.S Nagar", "town"),
    ("Dera Bassi", "डेराबस्सी", "Punjab:S.A.S Nagar", "town"),
    ("Nawanshahr", "नवांशहर", "Punjab:Shahid Bhagat Singh Nagar", "town"),
    ("SBS Nagar", "एसबीएस नगर", "Punjab:Shahid Bhagat Singh Nagar", "town"),
    ("Muktsar", "मुक्तसर", "Punjab:Sri Muktsar Sahib", "town"),
    ("Rishikesh", "ऋषिकेश", "Uttarakhand:Dehradun", "town"),
    ("Mussoorie", "मसूरी", "Uttarakhand:Dehradun", "town"),
    ("Manali", "मनाली", "Himachal Pradesh:Kullu", "town"),
    ("Dharamshala", "धर्मशाला", "Himachal Pradesh:Kangra", "town"),
    ("Bombay", "बंबई", "Maharashtra:Mumbai", "old_name"),
    ("Calcutta", "कलकत्ता", "West Bengal:Kolkata", "old_name"),
    ("Bangalore", "बैंगलोर", "Karnataka:Bengaluru Urban", "old_name"),
    ("Bengaluru", "बेंगलुरु", "Karnataka:Bengaluru Urban", "town"),
    ("Shahdara", "शाहदरा", "Delhi:Shahdara", "district"),
    ("Lakhimpur Kheri", "लखीमपुर खीरी", "Uttar Pradesh:Kheri", "town"),
    ("Lakhimpur", "लखीमपुर", "Uttar Pradesh:Kheri", "town"),
]
# Place names that are everyday Hindi/English words in Haryana news even though the NER corpora are too small to
# show it (अनाज मंडी "grain market", कोटा "quota"...). Hand-compiled; the tagger asks these for more evidence.
COMMON_WORD_NAMES = {"मंडी", "Mandi", "कोटा", "पाली", "बस्ती", "धार", "पुरी", "सूरत", "गुना", "सागर", "दमन", "निर्मल",
                     "सीधी", "पन्ना", "गया", "मऊ", "राय", "Rai", "कृष्णा", "Krishna", "नारायण", "Narayan", "Anand",
                     "आणंद", "Salem", "Mon", "मोन", "Banda", "Nadia", "नदिया", "Samba", "सांबा", "Puri", "Sagar",
                     "Guna", "Pali", "Dhar", "Surat", "Kota", "Una", "Hassan", "Erode", "Thane", "Bass", "Kalka",
                     "कालका", "फेक", "Phek", "कमले", "खेड़ा", "Kheda", "Kheri", "पाटन", "Patan", "डांग", "नोनी", "मंगन",
                     "धलाई", "दीव", "बौध", "तापी", "Tapi", "Deeg", "कोरिया"}
# Districts the press still names but which the 2026 LGD list no longer has (see the eval README).
EXTRA_DISTRICTS = [("Delhi", "दिल्ली", "Shahdara", "शाहदरा", None)]

# State names and the short forms the press uses; a mention gives "state context" for disambiguation.
STATE_SHORT_FORMS: dict[str, list[str]] = {
    "Uttar Pradesh": ["UP", "U.P.", "यूपी", "उ.प्र.", "उप्र"],
    "Madhya Pradesh": ["MP", "M.P.", "एमपी", "म.प्र.", "मप्र"],
    "Himachal Pradesh": ["HP", "हिमाचल", "Himachal"],
    "Jammu and Kashmir": ["J&K", "जम्मू-कश्मीर", "Jammu & Kashmir", "कश्मीर", "Kashmir"],
    "Delhi": ["दिल्ली", "NCT of Delhi", "Delhi NCR", "दिल्ली एनसीआर"],
    "Haryana": ["हरियाणा", "हरियाना", "Haryana", "Hariyana"],
    "Andhra Pradesh": ["आंध्र"],
    "Tamil Nadu": ["तमिलनाडु"],
}

# Local-body suffixes in India Post names that are not part of the place's name.
_PO_NOISE = re.compile(r"\s*\(.*?\)|\s+(?:S\.?O|B\.?O|H\.?O)\b\.?", re.IGNORECASE)
# India Post locality names that are generic (found in every town) rather than a place.
_GENERIC_LOCALITY = re.compile(
    r"\d|\b(?:sector|colony|market|bazar|bazaar|mandi|road|chowk|camp|cantt|kutchery|kucthery|kachehri|court|"
    r"hospital|university|college|estate|complex|industrial|area|phase|vihar|enclave|lines|park|station|depot|"
    r"office|secretariat|model|housing|board|city|town|nagar|mill|school|ashram|gate|bus|stand|head|post|"
    r"collectorate|civil|new|old|gandhi|nehru)\b",
    re.IGNORECASE,
)
_ROMAN_BLOCK = re.compile(r"[-\s]+(?:I{1,3}|IV|[1-4])$")


# --- romanised spellings of Hindi place names ------------------------------------------------------------------
# English and romanised-Hindi text spells towns as they sound (Ballabhgarh, Narwana) while LGD's English name
# may differ (Ballabgarh). We romanise each Hindi name: IAST from indic-transliteration, then Hindi's dropped
# inherent vowel ("schwa deletion": बहादुरगढ़ -> bahadurgarh, not bahaduragarha), then plain ASCII.
_IAST_VOWELS = ("ai", "au", "a", "ā", "i", "ī", "u", "ū", "e", "o", "ṛ")
_ASCII = str.maketrans({"ā": "a", "ī": "i", "ū": "u", "ṭ": "t", "ḍ": "d", "ṇ": "n", "ṅ": "n", "ñ": "n", "ṃ": "n",
                        "ś": "sh", "ṣ": "sh", "ḥ": "", "ṛ": "ri", "\u0310": ""})


def _iast_units(word: str) -> list[str]:
    units: list[str] = []
    i = 0
    while i < len(word):
        for size in (3, 2, 1):
            piece = word[i:i + size]
            aspirate = len(piece) == 2 and piece[1] == "h" and piece[0] in "kgcjṭḍtdpb"
            if size > 1 and (len(piece) < size or not (piece in _IAST_VOWELS or aspirate or piece in ("r̤h", "r̤"))):
                continue
            units.append(piece)
            i += size
            break
    return units


def romanise(hindi: str) -> str:
    """A plain-ASCII romanisation of a Hindi name as Indian English spells it (बल्लभगढ़ -> Ballabhgarh)."""
    from indic_transliteration import sanscript

    words = []
    for word in sanscript.transliterate(hindi, sanscript.DEVANAGARI, sanscript.IAST).split():
        units = _iast_units(word)
        vowel = [u in _IAST_VOWELS for u in units]
        keep = [True] * len(units)
        if len(units) > 2 and units[-1] == "a" and not vowel[-2]:
            keep[-1] = False  # final schwa
        # medial schwa between vowel-consonant and consonant-vowel is silent (nāranaula -> nārnaula)
        for k in range(2, len(units) - 2):
            if units[k] == "a" and vowel[k - 2] and not vowel[k - 1] and not vowel[k + 1] and vowel[k + 2] \
                    and keep[k - 2] and keep[k + 2]:
                keep[k] = False
        text = "".join(u for u, kept in zip(units, keep, strict=True) if kept)
        text = re.sub("ṃ(?=[bpm])", "m", text)  # anusvara before a labial is m (अंबाला -> Ambala)
        text = text.replace("r̤h", "rh").replace("r̤", "r").replace("ph", "f").replace("c", "ch")
        words.append(text.translate(_ASCII))
    return " ".join(words).title()


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def district_key(state: str, district: str) -> str:
    """``Hisar`` in Haryana, ``State:District`` elsewhere."""
    return district if state == HARYANA else f"{state}:{district}"


def split_forms(name: str) -> list[str]:
    """A name and, for ``X (Y)``, both X and Y."""
    name = name.strip()
    if not name:
        return []
    inner = re.findall(r"\(([^)]+)\)", name)
    outer = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [f for f in [outer, *inner] if f]


class CommonWordMeter:
    """Measures whether a name is also an ordinary word or a person's name, from NER corpora and word lists."""

    def __init__(self, nlp_dir: Path) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        sources = [
            *(nlp_dir / "il-ner-hindi").glob("Hindi-*.txt"),
            *(nlp_dir / "hiner").glob("*/validation.conll"),
        ]
        for path in sources:
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
                    if len(parts) < 2:
                        continue
                    token, tag = parts[0], parts[-1]
                    word = fold(token)
                    if not word or " " in word:
                        continue
                    label = tag.split("-", 1)[-1] if "-" in tag else "O"
                    if label in ("NEL", "LOCATION", "LOC"):
                        self.counts[word]["loc"] += 1
                    elif label in ("NEP", "PERSON", "PER"):
                        self.counts[word]["per"] += 1
                    else:
                        self.counts[word]["other"] += 1
        try:
            from wordfreq import zipf_frequency
        except ImportError:  # pragma: no cover - build-time dependency
            sys.exit("scripts/build_gazetteer.py needs wordfreq: .venv/bin/pip install wordfreq")
        self.zipf_en = zipf_frequency
        # romanised-Hindi words seen in SentiMix tweets (scripts/build_language_lexicon.py)
        lexicon = REPO / "nlp" / "resources" / "language_lexicon.json"
        self.romanised_hindi = set(json.loads(lexicon.read_text(encoding="utf-8"))["hi_latn"]) if lexicon.exists() \
            else set()

    def is_common_hindi(self, name: str) -> bool:
        """True when a one-word Devanagari name is tagged something other than a location more often than not."""
        word = fold(name)
        if " " in word:
            return False
        seen = self.counts.get(word)
        if not seen:
            return False
        other = seen["per"] + seen["other"]
        return other >= 3 and other > seen["loc"]

    def is_common_romanised_hindi(self, name: str) -> bool:
        """True when a one-word Latin name is an everyday romanised-Hindi word ('gaya' went, 'sakti' can)."""
        return name.strip().lower() in self.romanised_hindi

    def is_common_english(self, name: str) -> bool:
        """True when a one-word Latin name is a frequent English word (Zipf >= 4: 'bass', 'east', 'korea')."""
        word = name.strip().lower()
        return " " not in word and self.zipf_en(word, "en") >= 4.0


def build(shared: Path) -> dict:
    """Assemble the gazetteer document from the shared geo files."""
    geo = shared / "geo"
    meter = CommonWordMeter(shared / "nlp")

    districts: dict[str, dict] = {}
    states: dict[str, set[str]] = defaultdict(set)
    for row in read_csv(geo / "india_districts.csv"):
        key = district_key(row["state_en"], row["district_en"])
        districts[key] = {
            "name": row["district_en"],
            "name_hi": split_forms(row["district_hi"])[0] if row["district_hi"] else "",
            "state": row["state_en"],
            "lgd_code": int(row["lgd_code"]) if row["lgd_code"] else None,
        }
        states[row["state_en"]].update(f for f in (row["state_en"], row["state_hi"]) if f)
    for state, _state_hi, name, name_hi, lgd in EXTRA_DISTRICTS:
        districts.setdefault(district_key(state, name), {"name": name, "name_hi": name_hi, "state": state,
                                                         "lgd_code": lgd})
    for state, forms in STATE_SHORT_FORMS.items():
        states[state].update(forms)

    # surface form -> list of place entries; one entry per (place, district) pair
    places: list[dict] = []
    seen: set[tuple[str, str, str]] = set()

    def add(form: str, name: str, key: str, kind: str, strength: str, note: str = "") -> None:
        form = form.strip()
        folded = fold(form)
        if len(folded.replace(" ", "")) < 3 or key not in districts:
            return
        marker = (folded, key, kind if kind != "district" else "district")
        if marker in seen:
            return
        seen.add(marker)
        devanagari = bool(re.search("[\u0900-\u097f]", form))
        common = form in COMMON_WORD_NAMES or (
            meter.is_common_hindi(form) if devanagari
            else meter.is_common_english(form) or meter.is_common_romanised_hindi(form))
        entry = {"form": form, "place": name, "district": key, "kind": kind, "strength": strength}
        if common:
            entry["common"] = True
        if note:
            entry["note"] = note
        places.append(entry)

    # 1. every district by its own names
    for key, info in districts.items():
        for form in [info["name"], *split_forms(info["name_hi"])]:
            add(form, info["name"], key, "district", "strong")

    # 2. Haryana district aliases (a Hindi town alias takes the town's English name when the places file has it)
    english_of = {fold(r["place_hi"]): r["place_en"] for r in read_csv(geo / "haryana_places.csv") if r["place_hi"]}
    for row in read_csv(geo / "haryana_district_aliases.csv"):
        kind = row["alias_type"]
        if kind == "caution":
            continue
        ambiguous = "AMBIGUOUS" in row["note"]
        strength = "ambiguous" if ambiguous else "strong"
        place_kind = "town" if kind in ("town_in_district", "hq_or_twin_town") else "district"
        place_name = english_of.get(fold(row["alias"]), row["alias"]) if place_kind == "town" else row["district_en"]
        add(row["alias"], place_name, row["district_en"], place_kind, strength, row["note"])

    # 3. Haryana sub-divisions, tehsils, blocks, towns, villages, localities
    for row in read_csv(geo / "haryana_places.csv"):
        kind = row["kind"]
        if kind == "district":
            continue
        name = row["place_en"]
        if kind in ("village", "locality"):
            name = _PO_NOISE.sub("", name).strip()
            if kind == "locality" and _GENERIC_LOCALITY.search(name):
                continue
        if kind == "block":
            name = _ROMAN_BLOCK.sub("", name)
        name = re.sub(r"\s+", " ", name).strip()
        strength = KIND_STRENGTH[kind]
        forms = [name]
        if row["place_hi"]:
            forms.append(_ROMAN_BLOCK.sub("", row["place_hi"]) if kind == "block" else row["place_hi"])
        if row["place_hi"] and strength != "weak":
            spelt = romanise(row["place_hi"])
            forms.append(spelt)
            if "v" in spelt.lower():
                forms.append(spelt.replace("v", "w").replace("V", "W"))
        for form in forms:
            add(form, name, row["district_en"], kind, strength)

    # 4. India Post offices not yet covered (the places file already holds most of them)
    for row in read_csv(geo / "haryana_post_offices.csv"):
        name = re.sub(r"\s+", " ", _PO_NOISE.sub("", row["place_en"])).strip()
        kind = "village" if row["office_type"] == "BO" else "locality"
        if kind == "locality" and _GENERIC_LOCALITY.search(name):
            continue
        add(name, name, row["district_en"], kind, "weak")

    # 5. towns and same-named places outside Haryana
    for english, hindi, key, kind in OTHER_STATE_PLACES:
        for form in (english, hindi):
            add(form, english, key, kind, "ambiguous" if kind == "tehsil" else "medium")

    # A district elsewhere that shares its name with a Haryana place needs its state named before it is believed.
    haryana_forms = {fold(p["form"]) for p in places if districts[p["district"]]["state"] == HARYANA}
    for entry in places:
        if (entry["kind"] == "district" and districts[entry["district"]]["state"] != HARYANA
                and fold(entry["form"]) in haryana_forms):
            entry["strength"] = "ambiguous"
            entry["note"] = "same name as a place in Haryana"

    hansi_area = sorted({row["place_en"] for row in read_csv(geo / "haryana_places.csv")
                         if row["district_en"] == "Hansi"})
    return {
        "version": 1,
        "hansi": {"district": "Hansi", "parent": "Hisar", "split_date": HANSI_SPLIT_DATE, "places": hansi_area},
        "districts": districts,
        "states": {state: sorted(forms) for state, forms in sorted(states.items())},
        "places": places,
    }


def main() -> None:
    """Build the gazetteer and write it, reporting counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.shared / "geo").is_dir():
        sys.exit(f"no geo data under {args.shared} (pass --shared)")
    document = build(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the file byte-identical across rebuilds
    with gzip.GzipFile(args.out, "wb", mtime=0) as handle:
        handle.write(payload)
    kinds = Counter(p["kind"] for p in document["places"])
    common = sum(1 for p in document["places"] if p.get("common"))
    print(f"wrote {args.out.relative_to(REPO)}: {len(document['districts'])} districts, "
          f"{len(document['places'])} place forms {dict(kinds)}, {common} flagged common, "
          f"{args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
