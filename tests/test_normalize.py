"""The one Devanagari normalization that tagging, indexing and querying share."""

from nlp.normalize import normalize_text, search_terms, stem


def test_nukta_variants_meet():
    assert normalize_text("गुड़गांव") == normalize_text("गुडगांव")
    assert normalize_text("क़ानून") == normalize_text("कानून")


def test_chandrabindu_becomes_anusvara():
    assert normalize_text("गाँव") == normalize_text("गांव")


def test_half_nasal_becomes_anusvara():
    assert normalize_text("हिन्दी") == normalize_text("हिंदी")
    assert normalize_text("अम्बाला") == normalize_text("अंबाला")


def test_geminate_nasal_is_kept():
    # सम्मान has म् before म: not a stop, so it must not turn into "संमान".
    assert normalize_text("सम्मान") == "सम्मान"


def test_zero_width_joiners_are_dropped():
    assert normalize_text("हि\u200dंदी") == normalize_text("हिंदी")
    assert normalize_text("कि\u200cसान") == "किसान"


def test_devanagari_digits_become_ascii():
    assert normalize_text("१६ अक्टूबर २०२०") == "16 अक्टूबर 2020"


def test_plural_oblique_stems_to_singular():
    assert stem("किसानों") == stem("किसान") == "किसान"


def test_short_word_is_not_stripped_to_a_prefix_of_another():
    assert stem("किस") == "किस"
    assert stem("किस") != stem("किसानों")


def test_latin_words_are_lowercased_and_plural_folded():
    assert search_terms("Farmers of GURUGRAM") == ["farmer", "of", "gurugram"]
