"""Districts a story is about vs those it only mentions (issue 16): people's home towns, officials' earlier
postings and places named in passing are not tagged; the place the story happens still is."""

from __future__ import annotations

import pytest

from nlp.districts import get_district_tagger


def keys(text: str) -> list[str]:
    return [tag.key for tag in get_district_tagger().tag(text)]


def test_a_home_town_is_not_a_district():
    assert keys("रोहतक पुलिस ने दो आरोपियों को पकड़ा, जो मूल रूप से भिवानी के रहने वाले हैं।") == ["Rohtak"]
    assert keys("जींद के उचाना में हत्या का खुलासा हुआ। आरोपी कैथल जिले के एक गांव का रहने वाला है।") == ["Jind"]
    assert keys("कैथल के स्कूल में नई लैब बनी। लैब के लिए कुरुक्षेत्र में जन्मे एक प्रवासी ने दान दिया।") == ["Kaithal"]
    assert keys("Karnal lad from Kaithal tops JEE; his family lives in Karnal's Model Town.") == ["Karnal"]
    assert keys("यमुनानगर में मजदूरों ने धरना दिया। ज्यादातर मजदूर सहारनपुर और शामली से आते हैं।") == ["Yamunanagar"]


def test_people_living_in_a_district_are_about_it():
    assert keys("गुरुग्राम में रहने वाले लोगों को तीन दिन से पानी नहीं मिला।") == ["Gurugram"]
    assert keys("पूर्व विधायक ने हिसार में धरना दिया।") == ["Hisar"]


@pytest.mark.parametrize("text, about", [
    ("रोहतक के नए उपायुक्त ने कार्यभार संभाला। इससे पहले वे सिरसा में उपायुक्त रह चुके हैं और हिसार में एसडीएम के पद "
     "पर तैनात थे।", ["Rohtak"]),
    ("महेंद्रगढ़ के नवनियुक्त पुलिस अधीक्षक ने अभियान शुरू किया। वे पूर्व में हिसार और सिरसा में तैनात रहे हैं।",
     ["Mahendragarh"]),
    ("Sonipat DC, who was earlier posted in Jind, inspected the Sonipat civil hospital.", ["Sonipat"]),
    ("Gurugram traffic police got a new DCP, who was DCP (crime) in Faridabad until last week.", ["Gurugram"]),
])
def test_an_officials_earlier_posting_is_not_a_district(text: str, about: list[str]):
    assert keys(text) == about


def test_places_named_in_passing_are_not_districts():
    assert keys("भिवानी में पानी की किल्लत पर प्रदर्शन हुआ। लोगों ने कहा कि झुंझुनूं की तरह यहां भी टैंकर भेजे जाएं।") == [
        "Bhiwani"]
    assert keys("अंबाला में बारिश से जलभराव, पड़ोसी जिले यमुनानगर में भी यही हाल।") == ["Ambala"]
    assert keys("पानीपत रिफाइनरी का धुआं मेरठ और बागपत तक महसूस नहीं होता, यह दावा पानीपत रिफाइनरी ने किया।") == [
        "Panipat"]
    assert keys("कैथल के गुहला में बाढ़ का पानी उतरा। पंजाब के पटियाला से आने वाली घग्गर में पानी कम हुआ है।") == [
        "Kaithal"]


def test_named_lists_every_district_whatever_its_context():
    text = "रोहतक पुलिस ने दो आरोपियों को पकड़ा, जो मूल रूप से भिवानी के रहने वाले हैं।"
    assert sorted(get_district_tagger().named(text)) == ["Bhiwani", "Rohtak"]
