"""Bounded work per mention: any text ends in a result, long texts are read in bounded pieces with the same result,
and the near-duplicate index stays small however many copies arrive. (Speed and memory: ``benchmarks/bounded.py``.)"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from janmat.core.mention import Mention
from nlp import neardup, normalize
from nlp.districts import DistrictTagger
from nlp.evidence import MAX_EVIDENCE
from nlp.language import detect_language
from nlp.misinformation import get_misinformation_tagger
from nlp.neardup import NearDuplicateIndex
from nlp.normalize import FoldedText, fold, index_terms, search_terms
from nlp.rumour import WINDOW, rumour_cues
from nlp.schemes import get_scheme_tagger

# Devanagari with every mark folding touches (nukta, chandrabindu, half nasals, joiners, vowel signs), place and
# scheme names, cue words, Latin, digits, punctuation and an emoji.
_PIECES = [*"हिसारकिसानोंपेंशनड़ँं़्ाीूॉऑ\u200b\u200c\u200d\u00ad०१२३ abcXYZİ019-\"'!?.,:;/()।|#₹\n\t😀",
           "रोहतक", "हिसार", "गुरुग्राम", "जींद", "नूंह", "से", "तक", "निवासी", "गांव", "जिले", "Rohtak", "Hisar",
           "Lucknow", "पीएम किसान", "आयुष्मान भारत", "PPP", "योजना", "आगे भेजें", "फर्जी खबर", "दावा गलत",
           "सभी को 500 रुपये मिलेंगे", "न्द", "म्ब", "  ", " । "]
TEXT = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
ANY_TEXT = st.one_of(TEXT, st.text(max_size=120))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def districts() -> DistrictTagger:
    return DistrictTagger()


@PROPERTY
@given(ANY_TEXT)
def test_any_text_folds_with_offsets_that_point_back_into_it(text: str) -> None:
    folded = FoldedText(text)
    assert fold(text) == folded.text.strip()
    for start in range(0, len(folded.text), 3):
        ostart, oend = folded.to_original(start, start + 1)
        assert 0 <= ostart < oend <= len(text)
    for position in range(len(text) + 1):
        assert 0 <= folded.to_folded(position) <= len(folded.text)


@PROPERTY
@given(ANY_TEXT)
def test_a_long_text_folds_in_pieces_exactly_as_at_once(text: str) -> None:
    whole = FoldedText(text)
    piece = normalize._PIECE
    try:
        normalize._PIECE = 8
        pieces = FoldedText(text)
    finally:
        normalize._PIECE = piece
    assert pieces.text == whole.text
    assert list(pieces._dropped) == list(whole._dropped)


@PROPERTY
@given(ANY_TEXT, st.lists(st.integers(min_value=0, max_value=200), max_size=4))
def test_a_fold_cut_at_a_word_start_is_the_fold_of_that_part(text: str, positions: list[int]) -> None:
    whole = FoldedText(text)
    cuts = sorted({0, len(text), *(normalize.next_cut(text, min(p, len(text))) for p in positions)})
    assert "".join(whole.part(a, b).text for a, b in pairwise(cuts)) == whole.text
    # every part but the first, which keeps the whole text's leading run as it was folded
    for start, end in pairwise(cuts[1:]):
        part, alone = whole.part(start, end), FoldedText(text[start:end])
        assert (part.text, list(part._dropped)) == (alone.text, list(alone._dropped))


@PROPERTY
@given(ANY_TEXT)
def test_any_text_gives_search_terms_without_spaces(text: str) -> None:
    terms = search_terms(text)
    joined, words = index_terms(text)
    assert joined == " ".join(terms)
    assert all(term and not any(ch.isspace() for ch in term) for term in [*terms, *words])


@PROPERTY
@given(ANY_TEXT, st.one_of(st.none(), TEXT), st.sampled_from([None, datetime(2025, 1, 1, tzinfo=UTC)]))
def test_any_text_gets_district_tags_whose_evidence_is_in_the_text(
        districts: DistrictTagger, text: str, title: str | None, published: datetime | None) -> None:
    for tag in districts.tag(text, title, published):
        assert tag.name and 1 <= len(tag.evidence) <= MAX_EVIDENCE
        for evidence in tag.evidence:
            source = title if evidence.field == "title" else text
            assert source is not None and source[evidence.start:evidence.end] == evidence.text


@PROPERTY
@given(ANY_TEXT, st.one_of(st.none(), TEXT), st.booleans())
def test_any_text_gets_scheme_tags_whose_evidence_is_in_the_text(text: str, title: str | None,
                                                                 haryana: bool) -> None:
    for tag in get_scheme_tagger().tag(text, title, haryana=haryana):
        assert tag.id and 1 <= len(tag.evidence) <= MAX_EVIDENCE
        for evidence in tag.evidence:
            source = title if evidence.field == "title" else text
            assert source is not None and source[evidence.start:evidence.end] == evidence.text


@PROPERTY
@given(ANY_TEXT, st.one_of(st.none(), TEXT))
def test_any_text_gets_a_language_and_misinformation_signals(text: str, title: str | None) -> None:
    assert detect_language(text) is None or isinstance(detect_language(text), str)
    found = get_misinformation_tagger().tag(text, title)
    assert 0.0 <= found.score <= 1.0
    assert found.flagged == bool(found.kinds)


@PROPERTY
@given(ANY_TEXT)
def test_minhash_of_a_long_text_slice_by_slice_is_the_minhash_of_the_whole(text: str) -> None:
    index = NearDuplicateIndex(threshold=0.5)
    whole = index.minhash(text)
    slice_size = neardup._SLICE
    try:
        neardup._SLICE = 5
        sliced = index.minhash(text)
    finally:
        neardup._SLICE = slice_size
    assert (whole is None) == (sliced is None)
    if whole is not None:
        assert (whole.hashvalues == sliced.hashvalues).all()


def test_a_forward_at_the_end_of_a_book_length_text_is_still_read() -> None:
    news = "रोहतक में आज नगर निगम की बैठक हुई और सड़कों की मरम्मत पर चर्चा की गई। " * (3 * WINDOW // 60)
    assert len(news) > 2 * WINDOW
    assert not rumour_cues(news).suspected
    forwarded = news + "यह संदेश सभी ग्रुप में आगे भेजें! सरकार ने पेंशन बंद कर दी है।"
    assert {"forward-request", "benefit-stopped"} <= set(rumour_cues(forwarded).cues)
    assert "suspected" in get_misinformation_tagger().tag(forwarded).kinds


def test_a_place_named_a_thousand_times_keeps_a_bounded_evidence_list(districts: DistrictTagger) -> None:
    text = "रोहतक के गांव में किसान जुटे। " * 1000
    (tag,) = districts.tag(text)
    assert tag.name == "Rohtak" and len(tag.evidence) == MAX_EVIDENCE
    assert [e.start for e in tag.evidence] == sorted(e.start for e in tag.evidence)


_FORWARD = ("सभी बुजुर्ग ध्यान दें, सरकार ने वृद्धावस्था पेंशन {n} रुपये कर दी है और अगले महीने से खाते में आएगी। "
            "अपना परिवार पहचान पत्र लेकर {place} के सरल केंद्र पर फॉर्म भरें और इस संदेश को सभी ग्रुप में आगे भेजें।")
_PLACES = ["रोहतक", "हिसार", "जींद", "करनाल", "पानीपत"]


def _copies(count: int) -> list[Mention]:
    return [Mention(id=f"copy-{n}", text=_FORWARD.format(n=2500 + n, place=_PLACES[n % len(_PLACES)]))
            for n in range(count)]


def test_a_flood_of_copies_joins_one_cluster_and_indexes_a_few_signatures() -> None:
    index = NearDuplicateIndex(threshold=0.5)
    clusters = {index.assign(mention) for mention in _copies(1500)}
    assert clusters == {"copy-0"}
    assert len(index) == 1500  # every copy is remembered by id
    assert index.indexed <= index.per_cluster


def test_a_full_neighbourhood_lets_its_least_recently_matched_signatures_go() -> None:
    index = NearDuplicateIndex(threshold=0.5, per_cluster=1000, bucket=3)
    clusters = [index.assign(mention) for mention in _copies(60)]
    assert set(clusters) == {"copy-0"}  # the cluster id travels with every indexed copy
    assert index.indexed <= 3


def test_the_signature_window_forgets_the_least_recently_matched_cluster() -> None:
    stories = ["हिसार के अस्पताल में नई डायलिसिस यूनिट शुरू हुई और मरीजों को रोहतक नहीं जाना पड़ेगा",
               "पानीपत की कपड़ा मंडी में निर्यात के नए ऑर्डर आए और कारखानों में दोहरी पाली शुरू हुई",
               "सिरसा में धान की खरीद धीमी रही तो किसानों ने अनाज मंडी के बाहर धरना दिया"]
    index = NearDuplicateIndex(threshold=0.5, signatures=2, per_cluster=1)
    for n, story in enumerate(stories[:2]):
        index.assign(Mention(id=f"story-{n}", text=story))
    assert index.assign(Mention(id="copy-of-0", text=stories[0] + " ।")) == "story-0"  # story-0 matched last
    index.assign(Mention(id="story-2", text=stories[2]))  # a third story: story-1 leaves the index, story-0 stays
    assert index.indexed == 2
    assert index.assign(Mention(id="copy-of-0b", text=stories[0] + " !")) == "story-0"
    assert index.assign(Mention(id="copy-of-1", text=stories[1] + " ।")) == "copy-of-1"
