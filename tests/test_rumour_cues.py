"""Rumour cues (the ``suspected`` kind): forwards, calls to a group, "the government stopped it", promises of money
and fake recruitment notices are found in Devanagari, romanised Hindi and English; news and advisories are not."""

from __future__ import annotations

import pytest

from janmat.core.mention import Mention
from nlp.misinformation import MisinformationComponent, get_misinformation_tagger
from nlp.rumour import PASSAGE, is_suspected, rumour_cues

# The demo's WhatsApp-style forward (scripts/demo_site/articles.yaml, r02) and its Devanagari version as quoted in
# the demo's fact-check (a22); the other texts are our own.
DEMO_FORWARD = ("Sabhi buzurg dhyan dein! 31 August tak PPP update nahi kiya to naam katega aur budhapa pension band. "
                "Ram Ram sabhi ko! Ek bahut zaroori khabar hai, isko apne gaon ke sabhi WhatsApp group mein share "
                "karo.")
DEMO_FORWARD_HI = ("सभी बुजुर्ग ध्यान दें! सरकार ने नया आदेश निकाला है, 31 तारीख तक पीपीपी में ई-केवाईसी नहीं कराई तो "
                   "नाम कट जाएगा और पेंशन बंद।")


@pytest.mark.parametrize(("text", "cue"), [
    ("यह संदेश सभी ग्रुप में आगे भेजें, कोई छूट न जाए", "forward-request"),
    ("Yeh message apne sabhi group mein share karo", "forward-request"),
    ("Forward to all groups before midnight", "forward-request"),
    ("सभी किसान भाई ध्यान दें, कल से नया नियम लागू", "group-alert"),
    ("Sabhi buzurg dhyan dein, naya order aaya hai", "group-alert"),
    ("सरकार ने गैस सब्सिडी बंद कर दी है", "benefit-stopped"),
    ("Sarkar ne ration card par gehun band kar diya", "benefit-stopped"),
    ("सभी महिलाओं को 6000 रुपये मिलेंगे", "money-to-all"),
    ("Sabhi kisano ko 10000 rupaye milenge", "money-to-all"),
    ("Everyone will get Rs 5,000 from the government", "money-to-all"),
    ("पुलिस भर्ती का फॉर्म भरें और 500 रुपये शुल्क इस खाते में जमा करें", "recruitment-fee"),
    ("Railway bharti 2026: bina pariksha ke seedhi naukri, fees bharo", "recruitment-fee"),
])
def test_each_kind_of_cue_is_found_in_each_script(text, cue):
    assert cue in rumour_cues(text).cues


@pytest.mark.parametrize("text", [
    DEMO_FORWARD,
    DEMO_FORWARD_HI,
    "Zaroori soochna: sarkar ne gas subsidy band kar di hai, sab tak share karo",
    "84 din ka free recharge mil raha hai, form bharein link par",
    "सभी छात्रों को मुफ्त लैपटॉप मिलेगा, नीचे दिए लिंक पर आवेदन करें",
    "URGENT: all farmers will get Rs 12,000 this week, register now on this link",
    "Dear customer, your electricity will be disconnected tonight, call our officer immediately",
    "Job alert: direct recruitment in the forest department without exam, deposit the Rs 900 form fee today",
])
def test_rumour_forwards_are_suspected(text):
    assert is_suspected(text)


@pytest.mark.parametrize("text", [
    "हरियाणा सरकार ने बुढ़ापा पेंशन की राशि बढ़ाकर 3000 रुपये कर दी है।",
    "जिला उपायुक्त ने बताया कि पात्र परिवारों को राशन डिपो से मुफ्त गेहूं मिलेगा।",
    "कड़ाके की ठंड के कारण जिले के सभी स्कूल 15 जनवरी तक बंद रहेंगे, उपायुक्त ने आदेश जारी किए।",
    "PM Kisan ke tahat kisano ko saal mein 6000 rupaye teen kiston mein milte hain, vibhag ne bataya",
    "Students can apply for the state scholarship till 31 October on the official portal, the department said.",
    "Police bharti pariksha ki tarikh ghoshit, admit card agle hafte jaari honge",
    "पुलिस ने लोगों से अपील की कि वे अफवाहों पर ध्यान न दें और बिना पुष्टि के कोई मैसेज आगे न भेजें।",
    "Please do not forward unverified messages, the police said in an advisory.",
])
def test_news_and_advisories_are_not_suspected(text):
    assert not is_suspected(text)


def test_a_negated_forward_request_counts_for_nothing():
    assert "forward-request" not in rumour_cues("कृपया यह संदेश आगे न भेजें").cues
    assert "forward-request" not in rumour_cues("Do not forward this message").cues


@pytest.mark.parametrize("text", [DEMO_FORWARD, DEMO_FORWARD_HI])
def test_the_demo_forward_is_flagged_suspected_by_the_tagger(text):
    mention = Mention(id="demo", text=text)
    MisinformationComponent().tag_many([mention])
    found = mention.misinformation
    assert found.flagged and "suspected" in found.kinds and "debunk" not in found.kinds
    assert any(flag.startswith("suspected:") for flag in found.flags)


def test_a_fact_check_quoting_the_forward_is_a_debunk_too():
    text = f"PIB Fact Check: वायरल संदेश में लिखा है— \"{DEMO_FORWARD_HI}\" यह दावा फर्जी है।"
    found = get_misinformation_tagger().tag(text)
    assert found.flagged and "debunk" in found.kinds


# Our own news prose: a paragraph with no cue, repeated to make a long report.
_REPORT = ("रोहतक में आज नगर निगम की बैठक हुई जिसमें सड़कों की मरम्मत, पानी की निकासी और पार्कों के रखरखाव पर चर्चा "
           "की गई। ")


def test_weak_cues_far_apart_in_a_long_report_do_not_add_up():
    opening = "मौसम विभाग ने ऑरेंज अलर्ट जारी किया है। "
    closing = "उपायुक्त ने अधिकारियों को तुरंत मौके पर पहुंचने के निर्देश दिए।"
    report = opening + _REPORT * 12 + closing
    assert len(report) - len(opening) - len(closing) > PASSAGE
    found = rumour_cues(report)
    assert not found.suspected
    assert found.score == 0.5
    # the same two cues in one short passage still make a forward's score
    assert rumour_cues(opening + closing).suspected


def test_a_forward_quoted_in_a_long_report_is_found_where_it_stands():
    forward = "सावधान! सभी बुजुर्ग ध्यान दें, सरकार ने पेंशन बंद कर दी है।"
    cues = rumour_cues(_REPORT * 12 + forward + _REPORT * 12)
    assert cues.suspected
    assert {"group-alert", "benefit-stopped"} <= set(cues.cues)


@pytest.mark.parametrize(("text", "suspected"), [
    ("Attention! Your pension will be stopped from next month, share karo", True),
    ("URGENT: sabhi kisan dhyan dein", True),
    ("The report calls the shortage a crisis demanding urgent attention from the state.", False),
    ("The minister drew attention to the delay in payments.", False),
])
def test_attention_is_a_cue_as_a_call_not_as_a_noun(text, suspected):
    assert is_suspected(text) is suspected
