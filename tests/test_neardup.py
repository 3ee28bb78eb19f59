"""Near-duplicate clustering: wire copy and forwards share a cluster; different stories on one topic do not."""

from __future__ import annotations

import pytest

from janmat.core.mention import Mention
from nlp.neardup import NearDuplicateIndex, jaccard

# A wire story as one outlet printed it (written for these tests).
WIRE = (
    "हिसार, 14 मार्च। जिले के सरकारी अस्पताल में नई डायलिसिस यूनिट शुरू हो गई है। "
    "उपायुक्त ने यूनिट का निरीक्षण किया और कहा कि अब किडनी के मरीजों को इलाज के लिए रोहतक या दिल्ली नहीं जाना पड़ेगा। "
    "यूनिट में छह मशीनें लगाई गई हैं और हर दिन बीस मरीजों की डायलिसिस हो सकेगी। "
    "सिविल सर्जन ने बताया कि आयुष्मान कार्ड धारकों का इलाज पूरी तरह मुफ्त होगा। "
    "बाकी मरीजों से सरकारी दर पर नाममात्र शुल्क लिया जाएगा। "
    "अस्पताल प्रशासन ने यूनिट के लिए चार प्रशिक्षित तकनीशियन और दो डॉक्टर तैनात किए हैं। "
    "मरीजों के परिजनों ने इस सुविधा के लिए सरकार का आभार जताया।"
)
# The same story republished elsewhere: new headline, dateline dropped, one sentence rewritten.
REPUBLISHED = (
    "जिले के सरकारी अस्पताल में नई डायलिसिस यूनिट शुरू हो गई है। "
    "उपायुक्त ने यूनिट का निरीक्षण किया और कहा कि अब किडनी के मरीजों को इलाज के लिए रोहतक या दिल्ली नहीं जाना पड़ेगा। "
    "यूनिट में छह मशीनें लगाई गई हैं और हर दिन बीस मरीजों की डायलिसिस हो सकेगी। "
    "सिविल सर्जन के अनुसार आयुष्मान भारत योजना के लाभार्थियों से कोई पैसा नहीं लिया जाएगा। "
    "बाकी मरीजों से सरकारी दर पर नाममात्र शुल्क लिया जाएगा। "
    "अस्पताल प्रशासन ने यूनिट के लिए चार प्रशिक्षित तकनीशियन और दो डॉक्टर तैनात किए हैं। "
    "मरीजों के परिजनों ने इस सुविधा के लिए सरकार का आभार जताया।"
)
# A different story on the same topic (dialysis in a district hospital), written independently.
SAME_TOPIC = (
    "रोहतक के नागरिक अस्पताल में डायलिसिस मशीनें महीनों से खराब पड़ी हैं। "
    "मरीजों का कहना है कि उन्हें निजी अस्पतालों में हर हफ्ते हजारों रुपये खर्च करने पड़ रहे हैं। "
    "अस्पताल के अधिकारियों ने बताया कि मशीनों की मरम्मत के लिए मुख्यालय को पत्र लिखा गया है। "
    "परिजनों ने आरोप लगाया कि शिकायतों के बावजूद कोई सुनवाई नहीं हो रही और सरकार को जल्द कदम उठाना चाहिए।"
)
FORWARD = "Pension ab ghar baithe milegi, bas family ID aur Aadhaar ke saath form bhar do, aaj hi apply karo sab log"
FORWARDED = "Fwd: " + FORWARD.replace("milegi,", "milegi!!")


def _mention(mid: str, text: str, title: str | None = None) -> Mention:
    return Mention(id=mid, text=text, title=title)


def test_republished_wire_copy_joins_the_first_copys_cluster() -> None:
    index = NearDuplicateIndex()
    first = index.assign(_mention("outlet-a", WIRE, title="हिसार में डायलिसिस यूनिट शुरू"))
    second = index.assign(_mention("outlet-b", REPUBLISHED, title="अब जिले में ही होगी डायलिसिस, मरीजों को राहत"))
    assert first == "outlet-a"
    assert second == "outlet-a"


def test_unrelated_story_on_the_same_topic_gets_its_own_cluster() -> None:
    index = NearDuplicateIndex()
    index.assign(_mention("outlet-a", WIRE))
    assert index.assign(_mention("outlet-c", SAME_TOPIC)) == "outlet-c"


def test_forwarded_post_with_prefix_and_punctuation_joins_the_original() -> None:
    index = NearDuplicateIndex()
    index.assign(_mention("post-1", FORWARD))
    assert index.assign(_mention("post-2", FORWARDED)) == "post-1"


def test_nukta_and_digit_variants_of_a_copy_are_the_same_text() -> None:
    index = NearDuplicateIndex()
    index.assign(_mention("a", WIRE))
    variant = WIRE.replace("पड़ेगा", "पडेगा").replace("14", "१४").replace("हिंदी", "हिन्दी")
    assert index.assign(_mention("b", variant)) == "a"


def test_later_copies_keep_the_first_mentions_id_as_cluster() -> None:
    index = NearDuplicateIndex()
    ids = [index.assign(_mention(f"copy-{n}", WIRE + " " * n)) for n in range(4)]
    assert ids == ["copy-0"] * 4


def test_seeded_index_puts_new_copies_into_stored_clusters() -> None:
    stored = _mention("stored-copy", REPUBLISHED)
    stored.near_dup_cluster = "original-from-last-week"
    index = NearDuplicateIndex()
    assert index.seed([stored]) == 1
    assert index.assign(_mention("fresh", WIRE)) == "original-from-last-week"


def test_assigning_the_same_mention_twice_is_stable() -> None:
    index = NearDuplicateIndex()
    index.assign(_mention("a", WIRE))
    index.assign(_mention("b", REPUBLISHED))
    assert index.assign(_mention("b", REPUBLISHED)) == "a"
    assert len(index) == 2


def test_threshold_decides_whether_a_partial_copy_clusters() -> None:
    # Half of the story reused: similar, but not a copy at a strict threshold.
    half = " ".join(WIRE.split("। ")[:3]) + " " + SAME_TOPIC
    similarity = jaccard(WIRE, half)
    assert 0.15 < similarity < 0.6
    strict, loose = NearDuplicateIndex(threshold=0.8), NearDuplicateIndex(threshold=0.15)
    for index in (strict, loose):
        index.assign(_mention("a", WIRE))
    assert strict.assign(_mention("b", half)) == "b"
    assert loose.assign(_mention("b", half)) == "a"


def test_capacity_forgets_the_oldest_mentions() -> None:
    index = NearDuplicateIndex(capacity=2)
    index.assign(_mention("old", WIRE))
    index.assign(_mention("x", SAME_TOPIC))
    index.assign(_mention("y", FORWARD))
    assert len(index) == 2
    assert index.assign(_mention("new", REPUBLISHED)) == "new"


def test_invalid_threshold_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(threshold=0)


def test_default_threshold_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from janmat.core.settings import get_settings

    monkeypatch.setenv("JANMAT_NEAR_DUP_THRESHOLD", "0.15")
    get_settings.cache_clear()
    index = NearDuplicateIndex()
    assert index.threshold == 0.15
    index.assign(_mention("a", WIRE))
    half = " ".join(WIRE.split("। ")[:3]) + " " + SAME_TOPIC
    assert index.assign(_mention("b", half)) == "a"
