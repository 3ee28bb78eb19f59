"""Misinformation flag: reports, spreads or debunks a false claim — and "fake" about fraud is not flagged."""

from __future__ import annotations

import json

import pytest

from nlp.misinformation import get_misinformation_tagger
from tests.conftest import shared_data


def flagged(text: str) -> bool:
    return get_misinformation_tagger().tag(text).flagged


@pytest.mark.parametrize("text", [
    "PIB Fact Check: सोशल मीडिया पर वायरल यह पत्र फर्जी है, सरकार ने ऐसी कोई घोषणा नहीं की।",
    "पुलिस ने लोगों से अपील की कि वे अफवाहों पर ध्यान न दें और बिना पुष्टि के कोई मैसेज आगे न भेजें।",
    "सोशल मीडिया पर दावा किया जा रहा है कि सभी स्कूल एक महीने के लिए बंद होंगे, लेकिन यह दावा गलत है।",
    "A morphed image carrying a news channel's logo is being shared, falsely claiming a lockdown in Haryana.",
    "वायरल वीडियो को नैनीताल से जोड़कर भ्रामक रूप से फैलाया जा रहा है, पुलिस ने स्पष्ट किया।",
    "Fact check: the viral video of a clash is old and from another state.",
    "कुछ लोगों ने लॉकडाउन का झूठ फैला दिया है, सरकार ने कहा ऐसी कोई योजना नहीं है।",
])
def test_false_claims_rumours_and_fact_checks_are_flagged(text):
    assert flagged(text)


@pytest.mark.parametrize("text", [
    "फर्जी डिग्री मामले में निजी विश्वविद्यालय का कुलपति गिरफ्तार",
    "Police busted a fake call centre in Gurugram that cheated US citizens.",
    "फर्जी एनकाउंटर मामले में अदालत में सुनवाई टली",
    "नकली नोट छापने वाले गिरोह का पर्दाफाश, दो गिरफ्तार",
    "विपक्ष पर दुष्प्रचार का आरोप लगाते हुए मंत्री ने कहा कि सरकार ने दस साल में अच्छे काम किए।",
    "मुख्यमंत्री ने दावा किया कि इस साल धान की रिकॉर्ड खरीद हुई है।",
    "मंत्री ने विपक्ष के दावे को गलत बताया और कहा कि सरकार ने हर वादा पूरा किया।",
    "हरियाणा सरकार ने बुढ़ापा पेंशन की राशि बढ़ाकर 3000 रुपये कर दी है।",
    "The video of the Chief Minister's speech went viral on social media.",
])
def test_other_uses_of_fake_and_plain_news_are_not_flagged(text):
    assert not flagged(text)


def test_flags_name_the_cue_as_written():
    result = get_misinformation_tagger().tag("यह ख़बर फ़र्ज़ी है और अफ़वाह फैलाई जा रही है")
    assert result.flagged and 0 < result.score <= 1
    assert any(flag.startswith("rumour:") and "अफ़वाह" in flag for flag in result.flags)


def test_dev_set_misinformation_rows():
    rows = [json.loads(line) for line in shared_data("eval", "dev.jsonl").open(encoding="utf-8")]
    expected = [row["misinformation"] for row in rows]
    found = [flagged(row["text"]) for row in rows]
    true_positive = sum(1 for e, f in zip(expected, found, strict=True) if e and f)
    false_positive = sum(1 for e, f in zip(expected, found, strict=True) if f and not e)
    # precision matters most: at most one wrong flag over the set, and most true rows found
    assert false_positive <= 1
    assert true_positive >= 0.8 * sum(expected)
