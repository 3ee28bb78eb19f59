"""Entity tagger: office rules, offsets into the given text, IL-NER reading, and the trained NER's quality floor."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from nlp.entities import MAX_NER_CHARS, EntityModelMissingError, load_entity_tagger
from nlp.train_entities import read_conll, score_ner, sentence_doc
from tests.conftest import shared_data


@pytest.fixture(scope="module")
def tagger():
    return load_entity_tagger()


def _labels(entities) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in entities}


def test_hindi_and_english_offices_are_tagged_as_office(tagger) -> None:
    hindi, english = tagger.tag([
        "उपायुक्त ने बुधवार को तहसीलदार और एसडीएम के साथ बैठक की, मुख्यमंत्री का दौरा अगले हफ्ते है।",
        "The DC and the SDM met the Chief Minister; the BDO was absent.",
    ])
    assert {"उपायुक्त", "तहसीलदार", "एसडीएम", "मुख्यमंत्री"} <= {e.text for e in hindi if e.label == "OFFICE"}
    assert {"DC", "SDM", "Chief Minister", "BDO"} <= {e.text for e in english if e.label == "OFFICE"}


def test_acronyms_only_match_in_capitals(tagger) -> None:
    (entities,) = tagger.tag(["कल 5 cm बारिश हुई और sp ने कुछ नहीं कहा"])
    assert not [e for e in entities if e.label == "OFFICE"]


def test_offsets_index_into_the_text_as_given(tagger) -> None:
    texts = [
        "जिला उपायुक्त अजय कुमार ने रोहतक में नगर निगम के अधिकारियों के साथ बैठक की।",
        "मुख्यमंत्री नायब सिंह सैनी ने करनाल में हरियाणा पुलिस के नए भवन का उद्घाटन किया।",
        "Deputy Commissioner Ajay Kumar visited Hisar with officials of the Public Works Department.",
    ]
    for text, entities in zip(texts, tagger.tag(texts), strict=True):
        assert entities, text
        for entity in entities:
            assert text[entity.start : entity.end] == entity.text
            assert entity.label in {"PERSON", "ORG", "PLACE", "OFFICE"}


def test_names_next_to_an_office_are_left_to_the_ner(tagger) -> None:
    (entities,) = tagger.tag(["उपायुक्त अजय कुमार ने कहा कि सभी विभाग समय पर काम पूरा करें।"])
    office = [e for e in entities if e.label == "OFFICE"]
    assert [e.text for e in office] == ["उपायुक्त"]
    assert all(e.start >= office[0].end for e in entities if e is not office[0])


def test_only_the_head_of_a_long_text_is_read(tagger) -> None:
    filler = "यह वाक्य केवल लंबाई बढ़ाने के लिए है। " * (MAX_NER_CHARS // 20)
    text = "उपायुक्त ने बैठक ली। " + filler + "मुख्यमंत्री ने भाषण दिया।"
    (entities,) = tagger.tag([text])
    assert "उपायुक्त" in {e.text for e in entities}
    assert all(e.end <= MAX_NER_CHARS for e in entities)


def test_empty_texts_give_empty_lists(tagger) -> None:
    assert tagger.tag(["", "   "]) == [[], []]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EntityModelMissingError, match="train_entities"):
        load_entity_tagger(tmp_path)


def test_il_ner_tags_are_mapped_and_malformed_ones_dropped(tmp_path: Path) -> None:
    conll = tmp_path / "mini.txt"
    conll.write_text(
        "मुत्थुस्वामी\tB-NEP\nदीक्षितार\tI-NEP\nने\tO\nदिल्ली\tB-NEL\nमें\tO\n5\tB-NEN\nबजे\t-NETI\n"
        "इसरो\tI-NEO\nसे\tO\nबात\t-\nकी\tO\n\nदूसरा\tO\nवाक्य\tO\n",
        encoding="utf-8",
    )
    sentences = list(read_conll(conll))
    assert len(sentences) == 2
    tokens, tags = sentences[0]
    assert tags == ["B-PERSON", "I-PERSON", "O", "B-PLACE", "O", "O", "O", "I-ORG", "O", "O", "O"]
    doc = sentence_doc(spacy.blank("hi").vocab, tokens, tags)
    # An I- tag with no B- before it (IL-NER has a few) still starts an entity.
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("मुत्थुस्वामी दीक्षितार", "PERSON"), ("दिल्ली", "PLACE"), ("इसरो", "ORG")
    ]


def test_trained_ner_on_il_ner_test_is_above_the_model_card_floor(tagger) -> None:
    test_file = shared_data("nlp", "il-ner-hindi", "Hindi-test.txt")
    statistical = spacy.load(Path(__file__).resolve().parents[1] / "nlp" / "models" / "entities")
    scores = score_ner(statistical, test_file)
    assert scores["ALL"]["f"] >= 0.55
    assert {"PERSON", "ORG", "PLACE"} <= set(scores)


def test_office_titles_are_whole_words_and_the_longest_title_wins(tagger) -> None:
    from nlp.entities import OfficeRules

    cases = {
        "उपायुक्त ने तहसीलदार से कहा, जिला उपायुक्त कल आएंगे; उपमुख्यमंत्री भी।":
            ["उपायुक्त", "तहसीलदार", "जिला उपायुक्त", "उपमुख्यमंत्री"],
        "The Deputy Commissioner met the block development officer; CM's visit is on Friday.":
            ["Deputy Commissioner", "block development officer", "CM"],
        "पुलिस अधीक्षक (SP) और DSP मौके पर; sp, cm और उपायुक्तों की बैठक": ["पुलिस अधीक्षक", "SP", "DSP"],
        "नई सड़क का मुख्यमंत्रीजी ने उद्घाटन किया, DC-led टीम साथ थी": ["DC"],
    }
    rules, offices = OfficeRules(), tagger.nlp.get_pipe("janmat_offices")
    for text, expected in cases.items():
        assert [e.text for e in rules.find(text)] == expected
        # inside the NER pipeline the same titles become OFFICE spans
        doc = offices(tagger.nlp.make_doc(text))
        assert [e.text for e in doc.ents if e.label_ == "OFFICE"] == expected


def test_short_posts_get_office_rules_and_longer_texts_the_statistical_ner(tagger) -> None:
    from nlp.entities import NER_MIN_CHARS

    sentence = "मुख्यमंत्री नायब सिंह सैनी ने करनाल में हरियाणा पुलिस के नए भवन का उद्घाटन किया।"
    long_text = " ".join([sentence] * (NER_MIN_CHARS // len(sentence) + 1))
    assert len(sentence) <= NER_MIN_CHARS < len(long_text)
    short, long = tagger.tag([sentence, long_text])
    assert [(e.text, e.label) for e in short] == [("मुख्यमंत्री", "OFFICE")]
    assert {"PERSON", "PLACE", "ORG"} & {e.label for e in long}
