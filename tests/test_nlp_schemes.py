"""Scheme tagger: catalogue names and aliases, and the context rules for ambiguous short forms."""

from __future__ import annotations

import csv

import pytest

from nlp.schemes import catalogue, get_scheme_tagger, resolve_scheme
from tests.conftest import shared_data


def ids(text: str, title: str | None = None) -> set[str]:
    return {tag.id for tag in get_scheme_tagger().tag(text, title)}


def catalogue_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(shared_data("schemes", "schemes.csv").open(encoding="utf-8")))


def test_public_private_partnership_is_not_parivar_pehchan_patra():
    assert ids("The metro extension in Haryana will be built in public-private partnership (PPP) mode.") == set()
    assert ids("सड़क पीपीपी मॉडल पर बनेगी, यानी सार्वजनिक-निजी भागीदारी से") == set()


def test_ppp_with_family_or_haryana_context_is_parivar_pehchan_patra():
    assert ids("हरियाणा में PPP में आय का सत्यापन होने के बाद ही पेंशन मिलेगी") == {"ppp_family_id"}
    assert ids("परिवार पहचान पत्र (PPP) में सदस्य जोड़ने के लिए आवेदन करें") == {"ppp_family_id"}


def test_family_id_needs_haryana():
    assert ids("Haryana Family ID में नाम कैसे जोड़ें") == {"ppp_family_id"}
    assert ids("Every family ID card in the state will be linked to ration data") == set()


def test_keyword_hints_never_tag_alone():
    rows = {row["scheme_id"]: row for row in catalogue_rows()}
    # these phrases are hints, not aliases, in the shared catalogue
    for scheme_id, hint in (("old_age_samman", "old age pension"), ("pmgkay", "मुफ्त राशन"),
                            ("crop_residue_mgmt", "stubble burning")):
        assert hint in rows[scheme_id]["keyword_hints"].split("|")
        assert hint not in rows[scheme_id]["aliases"].split("|")
    assert ids("The old age pension was delayed again this month, say villagers") == set()
    assert ids("गरीबों को मुफ्त राशन बांटा गया") == set()
    assert ids("Stubble burning cases rose in the district") == set()


def test_distinctive_names_tag_in_any_spelling():
    assert ids("मेरी फसल, मेरा ब्यौरा पोर्टल पर पंजीकरण 31 अगस्त तक") == {"mfmb"}
    assert ids("मेरी फसल-मेरा ब्योरा पर पंजीकरण") == {"mfmb"}
    assert ids("बेटी बचाओ-बेटी पढ़ाओ अभियान के तहत रैली") == {"bbbp"}
    assert ids("Filth everywhere near the highway #SwachhBharat") == {"sbm"}
    assert ids("PM-KISAN की 19वीं किस्त जारी") == {"pm_kisan"}


def test_chirayu_as_an_ordinary_word_is_not_the_scheme():
    assert ids("भगवान आपको चिरायु करे, यही कामना है") == set()
    assert ids("आयुष्मान चिरायु कार्ड बनवाने के लिए शिविर लगेगा") == {"chirayu_haryana"}
    assert ids("चिरायु योजना के तहत पांच लाख तक का इलाज") == {"chirayu_haryana"}


def test_happy_needs_capitals_and_context():
    assert ids("I am so happy with the new bus service") == set()
    assert ids("HAPPY कार्ड से रोडवेज बसों में मुफ्त यात्रा") == {"happy_card"}


def test_pm_awas_yojana_without_qualifier_is_decided_by_context():
    assert ids("प्रधानमंत्री आवास योजना के तहत ग्रामीण परिवारों को मकान मिले") == {"pmay_g"}
    assert ids("प्रधानमंत्री आवास योजना के तहत शहरी गरीबों को फ्लैट") == {"pmay_u"}
    assert ids("प्रधानमंत्री आवास योजना की किस्त जारी") == set()


def test_another_states_scheme_of_the_same_name_is_not_haryanas():
    # rule 6 of docs/schemes.md: another government's version is a programme of its own
    assert ids("राजस्थान सरकार की मुख्यमंत्री तीर्थ यात्रा योजना में इस साल 6000 बुजुर्ग गए।") == set()
    assert ids("Delhi's Mukhyamantri Tirth Yatra Yojana took 900 pilgrims to Dwarka.") == set()
    assert ids("हरियाणा की मुख्यमंत्री तीर्थ यात्रा योजना में इस साल 6000 बुजुर्ग गए।") == {"tirth_yatra"}
    # a state named without a possessive, or before a central scheme, does not take the name
    assert ids("राजस्थान की तर्ज पर हरियाणा में मुख्यमंत्री तीर्थ यात्रा योजना शुरू हुई।") == {"tirth_yatra"}
    assert ids("राजस्थान की प्रधानमंत्री किसान सम्मान निधि की किस्त आई।") == {"pm_kisan"}


def test_evidence_points_into_the_original_text():
    text = "हरियाणा में बुढ़ापा पेंशन और परिवार पहचान पत्र से जुड़ी नई प्रक्रिया"
    tags = get_scheme_tagger().tag(text)
    assert {t.id for t in tags} == {"old_age_samman", "ppp_family_id"}
    for tag in tags:
        for evidence in tag.evidence:
            assert text[evidence.start:evidence.end] == evidence.text


def test_every_catalogue_scheme_is_found_by_its_hindi_name():
    for row in catalogue_rows():
        if row["scheme_id"] in ("hkrn", "cm_window", "ekharid", "antyodaya_saral"):
            continue  # institutions and portals, kept for collectors' queries but not tagged as schemes
        text = f"{row['name_hi']} के तहत लाभार्थियों को लाभ दिया गया"
        assert row["scheme_id"] in ids(text), row["name_hi"]


def test_catalogue_matches_the_shared_file():
    rows = catalogue_rows()
    schemes = {s.id: s for s in catalogue()}
    assert set(schemes) == {row["scheme_id"] for row in rows}
    for row in rows:
        names = schemes[row["scheme_id"]].all_names()
        assert row["name_hi"] in names and row["name_en"] in names


@pytest.mark.parametrize(("name", "expected"), [
    ("pm_kisan", "pm_kisan"), ("pm-kisan", "pm_kisan"), ("पीएम किसान", "pm_kisan"), ("PM Kisan", "pm_kisan"),
    ("परिवार पहचान पत्र", "ppp_family_id"), ("Lado Laxmi", "lado_lakshmi"), ("Lado Lakshmi Yojana", "lado_lakshmi"),
    ("old age pension", "old_age_samman"), ("no such scheme", None), ("", None),
])
def test_resolve_scheme(name, expected):
    assert resolve_scheme(name) == expected


def test_pm_shri_needs_schools_because_shri_is_an_honorific():
    assert ids("प्रधानमंत्री श्री नरेन्द्र मोदी जी ने आज योजना की समीक्षा की") == set()
    assert ids("PM Shri Narendra Modi addressed the rally") == set()
    assert ids("जिले के 12 स्कूलों को पीएम श्री योजना में चुना गया") == {"pm_shri"}
