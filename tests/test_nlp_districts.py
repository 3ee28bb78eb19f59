"""District tagger: which districts a text is about, on real and realistic Hindi / English news text."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from janmat.core.mention import IST
from nlp.districts import get_district_tagger, resolve_district
from tests.conftest import shared_data


def keys(text: str, title: str | None = None, published_at: datetime | None = None) -> set[str]:
    return {tag.key for tag in get_district_tagger().tag(text, title, published_at)}


def test_seed_article_is_about_the_five_dpro_districts_not_the_dateline():
    folder = shared_data("seed")
    text = next(folder.glob("*.txt")).read_text(encoding="utf-8")
    # the seed README: Gurugram, Faridabad, Palwal, Charkhi Dadri, Jhajjar; "चंडीगढ़ (धरणी):" is a dateline
    assert keys(text) == {"Gurugram", "Faridabad", "Palwal", "Charkhi Dadri", "Jhajjar"}


def test_evidence_spans_point_into_the_text_as_written():
    text = "गुड़गाँव में बारिश के बाद जलभराव, वहीं बहादुरगढ़ में भी सड़कें डूबीं।"
    tags = get_district_tagger().tag(text)
    assert {t.key for t in tags} == {"Gurugram", "Jhajjar"}
    for tag in tags:
        for evidence in tag.evidence:
            assert text[evidence.start:evidence.end] == evidence.text
    jhajjar = next(t for t in tags if t.key == "Jhajjar")
    assert jhajjar.evidence[0].text == "बहादुरगढ़" and jhajjar.place == "Bahadurgarh"
    assert jhajjar.lgd_code == 64 and jhajjar.state == "Haryana"


def test_title_evidence_is_marked_as_title():
    tags = get_district_tagger().tag("किसानों ने धरना दिया।", title="करनाल में किसान आंदोलन")
    assert [t.key for t in tags] == ["Karnal"]
    evidence = tags[0].evidence[0]
    assert evidence.field == "title" and "करनाल में किसान आंदोलन"[evidence.start:evidence.end] == "करनाल"


@pytest.mark.parametrize("text", ["गुड़गांव में मेट्रो का काम शुरू", "गुडगांव में मेट्रो का काम शुरू",
                                  "Metro work starts in Gurgaon", "गुरूग्राम में मेट्रो का काम शुरू"])
def test_old_and_variant_names_of_gurugram(text):
    assert keys(text) == {"Gurugram"}


def test_mewat_is_nuh():
    assert keys("मेवात के गांवों में पानी की किल्लत") == {"Nuh"}
    assert keys("Water shortage in the villages of Mewat") == {"Nuh"}


def test_inflected_oblique_form_is_found():
    assert keys("अंबाले में सेना की भर्ती रैली") == {"Ambala"}


@pytest.mark.parametrize(("published", "name", "also"), [
    (datetime(2025, 6, 1, tzinfo=IST), "Hisar", ["Hansi"]),
    (datetime(2026, 2, 1, tzinfo=IST), "Hansi", []),
    (None, "Hansi", []),
])
def test_hansi_is_tagged_by_the_map_valid_on_the_date(published, name, also):
    tags = get_district_tagger().tag("हांसी की अनाज मंडी में गेहूं की खरीद शुरू", published_at=published)
    assert [(t.name, t.also_under) for t in tags] == [(name, also)]


def test_hisar_and_a_hansi_place_before_the_split_make_one_hisar_tag():
    tags = get_district_tagger().tag("हिसार जिले के हांसी उपमंडल में किले के पास पार्क बनेगा",
                                     published_at=datetime(2025, 9, 3, tzinfo=IST))
    assert [(t.name, t.also_under) for t in tags] == [("Hisar", ["Hansi"])]
    assert {e.text for e in tags[0].evidence} >= {"हिसार", "हांसी"}


def test_fatehabad_of_agra_is_not_haryana():
    found = keys("आगरा जिले की फतेहाबाद तहसील में छुट्टा पशुओं से किसान परेशान हैं। फतेहाबाद के किसान रात भर जागते हैं।")
    assert "Fatehabad" not in found and "Uttar Pradesh:Agra" in found


def test_fatehabad_in_haryana_context_is_haryana():
    assert keys("हरियाणा के फतेहाबाद में किसानों ने लघु सचिवालय पर धरना दिया") == {"Fatehabad"}


def test_dadri_next_to_noida_is_up_not_charkhi_dadri():
    found = keys("ग्रेटर नोएडा के पास दादरी में बिजली घर के बाहर प्रदर्शन")
    assert "Charkhi Dadri" not in found and found == {"Uttar Pradesh:Gautam Buddha Nagar"}


def test_bhiwadi_is_rajasthan_not_bhiwani():
    assert keys("भिवाड़ी में औद्योगिक क्षेत्र में आग") == {"Rajasthan:Khairthal-Tijara"}


@pytest.mark.parametrize("text", [
    "चंडीगढ़ (धरणी): हरियाणा सरकार ने प्रदेश के सभी जिलों में नई नीति लागू की।",
    "ROHTAK: The state government on Monday announced a new policy for all districts.",
    "Chandigarh, Oct 16 (PTI) - The Haryana government has announced a new policy for all districts.",
    "चंडीगढ़ | हरियाणा में पेंशन की नई प्रक्रिया लागू होगी।",
])
def test_a_dateline_alone_is_not_a_district(text):
    assert keys(text) == set()


def test_a_dateline_place_counts_when_the_body_is_about_it():
    assert keys("हिसार (जनमत संवाददाता): हिसार के लघु सचिवालय पर किसानों ने धरना दिया।") == {"Hisar"}


def test_syndication_prefix_keeps_only_the_story_place():
    assert keys("फरीदाबाद, मार्च 11 -- पलवल। जिले में बेटियों के लिए नई कमेटी बनी।") == {"Palwal"}


def test_attributive_mentions_are_not_districts():
    assert keys("रोहतक से सांसद ने गोहाना में मजदूर सम्मेलन को संबोधित किया") == {"Sonipat"}
    assert keys("जींद निवासी एक युवक की रोहतक में सड़क हादसे में मौत") == {"Rohtak"}
    assert keys("The MP from Hisar inaugurated a school in Karnal") == {"Karnal"}


def test_road_names_are_not_districts():
    assert keys("दिल्ली-जयपुर हाईवे पर लंबा जाम, यात्री परेशान") == set()
    assert "Bhiwani" not in keys("बाढड़ कस्बे में लोहारु रोड स्थित मंदिर के पास शिविर लगा")
    assert keys("Traffic was diverted on NH 44 between Delhi and Ambala.") == set()


def test_common_words_that_are_district_names_elsewhere_are_not_tagged():
    assert keys("वह सुबह घर से निकला और बाजार गया, फिर अनाज मंडी में धान बेचा") == set()


def test_post_office_village_needs_a_village_cue():
    rows = list(csv.DictReader(shared_data("geo", "haryana_post_offices.csv").open(encoding="utf-8")))
    names = [r["place_en"] for r in rows]
    village = next(r for r in rows if r["office_type"] == "BO" and names.count(r["place_en"]) == 1
                   and r["place_en"].isalpha() and len(r["place_en"]) > 5)
    name, district = village["place_en"], village["district_en"]
    assert keys(f"Farmers in {name} protested on Monday") == set()
    assert keys(f"Farmers of {name} village protested on Monday") == {district}


@pytest.mark.parametrize(("name", "expected"), [
    ("गुड़गांव", ["Gurugram"]), ("Gurgaon", ["Gurugram"]), ("Gurugram", ["Gurugram"]), ("गुरुग्राम", ["Gurugram"]),
    ("mewat", ["Nuh"]), ("मेवात", ["Nuh"]), ("Hissar", ["Hisar"]), ("Lucknow", ["Uttar Pradesh:Lucknow"]),
    ("उत्तर प्रदेश:लखनऊ", ["Uttar Pradesh:Lucknow"]), ("Uttar Pradesh:Lucknow", ["Uttar Pradesh:Lucknow"]),
    ("Hansi", ["Hansi"]), ("Fatehabad", ["Fatehabad"]),
])
def test_resolve_district_accepts_any_name(name, expected):
    assert resolve_district(name) == expected


@pytest.mark.parametrize("name", ["", "Atlantis", "Punjab:Lucknow"])
def test_resolve_district_returns_nothing_for_unknown_names(name):
    assert resolve_district(name) == []


def test_every_haryana_district_and_its_hindi_name_is_found():
    rows = list(csv.DictReader(shared_data("geo", "india_districts.csv").open(encoding="utf-8")))
    haryana = [r for r in rows if r["state_en"] == "Haryana"]
    assert len(haryana) == 23
    for row in haryana:
        assert keys(f"{row['district_hi']} में नई सड़क का शिलान्यास हुआ") == {row["district_en"]}, row["district_hi"]
        assert keys(f"A new road was inaugurated in {row['district_en']} on Monday") == {row["district_en"]}


def test_where_a_person_comes_from_or_goes_to_is_not_the_story_place():
    text = "रोहतक पीजीआई में नया काउंटर खुला। झज्जर से अपने पिता का इलाज कराने आईं महिला ने बताया कि भीड़ कम हुई।"
    assert keys(text) == {"Rohtak"}
    assert keys("Karnal hospital got a dialysis unit; a patient from Palwal said the wait was shorter.") == {"Karnal"}


def test_neighbouring_districts_and_directions_are_not_tagged():
    assert keys("Sonipat residents complain that the road towards Sampla in neighbouring Rohtak district is narrow.") \
        == {"Sonipat"}


def test_romanised_hindi_words_that_are_district_names_are_not_tagged():
    assert keys("Ek baar naam kat gaya to dobara judwane mein saal bhar lagega, woh apply kar sakti hai") == set()


def test_a_district_of_another_state_needs_its_state_in_a_haryana_story():
    # नरसिंहपुर here is a Gurugram locality, not Narsimhapur district of Madhya Pradesh
    assert keys("गुरुग्राम में बारिश ने पोल खोल दी, सोहना रोड और नरसिंहपुर के पास घुटनों तक पानी भर गया") == {"Gurugram"}
    assert keys("हरियाणा और राजस्थान की सीमा पर भिवाड़ी और धारूहेड़ा के बीच जलभराव पर तनाव") == {
        "Rajasthan:Khairthal-Tijara", "Rewari"}


def test_a_word_across_a_sentence_end_is_no_place_cue():
    assert keys("उन्हें सम्मान दिया गया। जिले में लिंगानुपात सुधरा है।") == set()


def test_towns_are_found_in_romanised_spellings_of_their_hindi_names():
    # LGD spells Ballabgarh; the press and romanised Hindi often write Ballabhgarh / Narwana
    assert keys("Ballabhgarh ki colonies mein paani ki samasya badh gayi hai") == {"Faridabad"}
    assert keys("Farmers protested outside the mini secretariat in Narwana on Monday") == {"Jind"}


def test_a_list_of_home_towns_shares_the_attribute_of_its_last_name():
    assert keys("जींद और कैथल से आए किसानों ने करनाल में धरना दिया") == {"Karnal"}


def test_historical_background_and_borders_are_not_districts():
    assert keys("हांसी जिला हिसार से अलग करके बनाया गया है") == {"Hansi"}
    assert keys("Charkhi Dadri district was carved out of Bhiwani in 2016") == {"Charkhi Dadri"}
