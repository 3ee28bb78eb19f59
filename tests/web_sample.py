"""A small, realistic store for the web tests: a week of Hindi and English mentions across Haryana's districts,
with tones, schemes, evidence spans, a near-duplicate cluster spreading over three outlets, and one hostile
mention whose crawled strings try to run script."""

from __future__ import annotations

from datetime import datetime, timedelta

from janmat.core.mention import (
    IST,
    DistrictTag,
    Evidence,
    FactCheckRef,
    MatchedClaim,
    Mention,
    Misinformation,
    SchemeTag,
    Sentiment,
    Source,
)

HOSTILE_ID = "hostile1"
CLUSTER = "wire1"
HOSTILE_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> हिसार'

# (district, Hindi place as written, tone) for the week's stories; Hisar, Rohtak and Gurugram get the most.
STORIES = [
    ("Hisar", "हिसार", "negative"), ("Hisar", "हिसार", "negative"), ("Hisar", "हांसी", "neutral"),
    ("Hisar", "हिसार", "positive"), ("Hisar", "हिसार", "negative"), ("Hisar", "बरवाला", "negative"),
    ("Hisar", "हिसार", "neutral"), ("Hisar", "हिसार", "negative"), ("Hisar", "हिसार", "negative"),
    ("Hisar", "आदमपुर", "neutral"), ("Hisar", "हिसार", "negative"), ("Hisar", "हिसार", "positive"),
    ("Rohtak", "रोहतक", "positive"), ("Rohtak", "रोहतक", "neutral"), ("Rohtak", "रोहतक", "negative"),
    ("Rohtak", "महम", "positive"), ("Rohtak", "रोहतक", "neutral"), ("Rohtak", "रोहतक", "positive"),
    ("Rohtak", "रोहतक", "positive"), ("Rohtak", "रोहतक", "neutral"), ("Rohtak", "रोहतक", "negative"),
    ("Rohtak", "रोहतक", "positive"), ("Gurugram", "गुड़गांव", "neutral"), ("Gurugram", "गुरुग्राम", "negative"),
    ("Gurugram", "गुरुग्राम", "positive"), ("Karnal", "करनाल", "positive"), ("Karnal", "करनाल", "neutral"),
    ("Nuh", "नूंह", "negative"), ("Jind", "जींद", "negative"), ("Sirsa", "सिरसा", "neutral"),
]
SENTENCES = {
    "negative": "{place} में बुढ़ापा पेंशन तीन महीने से नहीं आई, बुजुर्ग परेशान होकर दफ़्तरों के चक्कर काट रहे हैं।",
    "neutral": "{place} में प्रधानमंत्री किसान सम्मान निधि की ई-केवाईसी के लिए शिविर लगाया जाएगा।",
    "positive": "{place} में मुफ्त स्वास्थ्य शिविर में सैकड़ों लोगों का इलाज हुआ, लोगों ने व्यवस्था की सराहना की।",
}


def sample_mentions(now: datetime | None = None) -> list[Mention]:
    """The sample: 34 mentions over the last five days, newest today: inside a seven-day overview whatever the
    hour it is built."""
    now = (now or datetime.now(IST)).astimezone(IST).replace(microsecond=0)
    mentions = []
    for n, (district, place, tone) in enumerate(STORIES):
        text = SENTENCES[tone].format(place=place)
        published = now - timedelta(hours=4 * n + 1)
        named = "प्रधानमंत्री किसान सम्मान निधि"
        start = text.find(named)
        scheme = [SchemeTag(id="pm_kisan", name="PM-KISAN", evidence=[
            Evidence(field="text", start=start, end=start + len(named), text=named)])] if start >= 0 else []
        mentions.append(Mention(
            id=f"s{n:02d}", title=f"{place}: {text[:40].rsplit(' ', 1)[0]}", text=text,
            url=f"https://samachar.example.in/haryana/{n}", source=Source(name=["दैनिक समाचार", "हरियाणा टुडे"][n % 2]),
            lang="hi", published_at=published,
            districts=[DistrictTag(name=district, place=place, evidence=[Evidence(field="text", start=0,
                                                                                 end=len(place), text=place)])],
            schemes=scheme, sentiment=Sentiment(label=tone, score=0.81, model="sample"),
        ))
    rumour = "व्हाट्सऐप संदेश का दावा: परिवार पहचान पत्र से नाम कटने पर पेंशन बंद होगी, विभाग ने कहा यह भ्रामक है।"
    for n, outlet in enumerate(["दैनिक समाचार", "हरियाणा टुडे", "ग्राम वाणी"]):
        mentions.append(Mention(
            id=f"w{n}", title=f"पेंशन बंद होने का दावा भ्रामक {n + 1}", text=rumour, source=Source(name=outlet),
            url=f"https://{['a', 'b', 'c'][n]}.example.in/claim", lang="hi", near_dup_cluster=CLUSTER,
            published_at=now - timedelta(hours=20 - 6 * n), districts=[DistrictTag(name="Bhiwani")],
            sentiment=Sentiment(label="negative", score=0.7, model="sample"),
            misinformation=Misinformation(flagged=True, score=0.9, flags=["debunk-phrase:भ्रामक"],
                                          kinds=["matched", "debunk"], matched_claims=[MatchedClaim(
                                              claim_id="ppp-pension-cut", score=0.88, status="false")],
                                          matched_factcheck=FactCheckRef(url="https://factcheck.example.in/ppp",
                                                                         claim="पीपीपी से नाम कटने पर पेंशन बंद",
                                                                         rating="भ्रामक", publisher="तथ्य जाँच")),
        ))
    mentions.append(Mention(
        id=HOSTILE_ID, title=HOSTILE_TITLE, url="https://evil.example.in/x?a=<b>",
        text='"><svg onload=alert(2)> <a href="javascript:alert(3)">click</a> हिसार में धरना',
        source=Source(name='<img src=x onerror=alert(4)>'), author="javascript:alert(5)", lang="hi",
        published_at=now - timedelta(hours=2), districts=[DistrictTag(name="Hisar", place="<b>hisar</b>")],
        sentiment=Sentiment(label="negative", score=0.6, model="sample"),
        misinformation=Misinformation(matched_factcheck=FactCheckRef(url="javascript:alert(6)",
                                                                     claim="<script>alert(7)</script>")),
        meta={"note": "<script>alert(8)</script>"},
    ))
    return mentions
