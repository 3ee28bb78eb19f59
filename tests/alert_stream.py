"""A scripted, seeded stream of mentions for the alert tests: ordinary coverage of Haryana's districts and schemes,
and one negative event about one scheme in one district, reported by three outlets and twenty posts (Hindi and
romanised Hindi) within an hour. Texts are built from templates naming real districts and schemes; the real
Enricher tags them when they go through the pipeline."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from janmat.core.mention import Mention, Platform, Source, mention_id_for_post, mention_id_for_url

DISTRICTS = [
    ("अंबाला", "Ambala"), ("भिवानी", "Bhiwani"), ("चरखी दादरी", "Charkhi Dadri"), ("फरीदाबाद", "Faridabad"),
    ("फतेहाबाद", "Fatehabad"), ("गुरुग्राम", "Gurugram"), ("जींद", "Jind"), ("झज्जर", "Jhajjar"),
    ("कैथल", "Kaithal"), ("करनाल", "Karnal"), ("कुरुक्षेत्र", "Kurukshetra"), ("महेंद्रगढ़", "Mahendragarh"),
    ("नूंह", "Nuh"), ("पलवल", "Palwal"), ("पंचकूला", "Panchkula"), ("पानीपत", "Panipat"), ("रेवाड़ी", "Rewari"),
    ("रोहतक", "Rohtak"), ("सिरसा", "Sirsa"), ("सोनीपत", "Sonipat"), ("यमुनानगर", "Yamunanagar"), ("हिसार", "Hisar"),
]
SCHEMES = [
    ("पीएम किसान", "PM Kisan"), ("आयुष्मान भारत", "Ayushman Bharat"), ("चिरायु हरियाणा", "Chirayu Haryana"),
    ("मेरी फसल मेरा ब्यौरा", "Meri Fasal Mera Byora"), ("परिवार पहचान पत्र", "Parivar Pehchan Patra"),
    ("प्रधानमंत्री आवास योजना", "PM Awas Yojana"), ("जल जीवन मिशन", "Jal Jeevan Mission"),
    ("उज्ज्वला योजना", "Ujjwala Yojana"), ("मनरेगा", "MGNREGA"), ("फसल बीमा योजना", "Fasal Bima Yojana"),
]
OUTLETS = [("दैनिक भास्कर", "bhaskar.com"), ("अमर उजाला", "amarujala.com"), ("दैनिक जागरण", "jagran.com"),
           ("हरिभूमि", "haribhoomi.com"), ("The Tribune", "tribuneindia.com"), ("पंजाब केसरी", "punjabkesari.in")]
HINDI = [
    "{district} में {scheme} के तहत {n} लाभार्थियों को लाभ मिला, अधिकारियों ने शिविर लगाया",
    "{district}: {scheme} की समीक्षा बैठक में उपायुक्त ने {n} मामलों पर चर्चा की",
    "{district} के गांवों में {scheme} पर जागरूकता अभियान, {n} लोगों ने पंजीकरण कराया",
    "{district} में {scheme} का पैसा {n} दिन से नहीं आया, लोग परेशान और नाराज़",
    "{scheme} से {district} के किसानों को राहत, {n} परिवारों ने सराहना की",
    "{district} में बारिश के बाद सड़कों की मरम्मत का काम शुरू, {n} टीमें लगाई गईं",
]
ROMAN = [
    "{district_en} mein {scheme_en} ka camp laga, {n} logon ne form bhara",
    "{scheme_en} ki kist {n} din se nahi aayi {district_en} mein, bahut pareshani hai",
    "{district_en} ke gaon mein {scheme_en} se {n} parivaron ko fayda hua",
]
ENGLISH = [
    "{district_en}: {n} beneficiaries enrolled under {scheme_en} at a special camp",
    "Officials in {district_en} review {scheme_en} progress, {n} applications pending",
]
EVENT_DISTRICT, EVENT_SCHEME = ("हिसार", "Hisar"), ("चिरायु", "Chirayu")
EVENT_ARTICLES = [
    ("हिसार में चिरायु कार्ड से इलाज बंद, निजी अस्पतालों ने मरीज़ लौटाए",
     "हिसार के निजी अस्पतालों ने चिरायु हरियाणा कार्ड पर इलाज से मना कर दिया। भुगतान न मिलने की बात कहकर मरीज़ों को "
     "लौटाया जा रहा है और परिजन परेशान हैं।"),
    ("चिरायु योजना ठप: हिसार में कार्डधारकों को अस्पतालों से लौटाया",
     "हिसार में चिरायु योजना के कार्डधारक मरीज़ों को अस्पतालों ने भर्ती करने से इनकार किया, लोगों में भारी नाराज़गी है।"),
    ("Chirayu Haryana card holders turned away by hospitals in Hisar",
     "Private hospitals in Hisar refused treatment to Chirayu Haryana card holders, citing unpaid dues. Patients "
     "and families protested outside the civil hospital."),
]
EVENT_POSTS = [
    "हिसार में चिरायु कार्ड से इलाज नहीं हो रहा, अस्पताल वाले मरीज़ लौटा रहे हैं #{n}",
    "चिरायु कार्ड बेकार है हिसार में, पापा को अस्पताल ने भर्ती नहीं किया, बहुत बुरा हाल {n}",
    "Hisar mein Chirayu card se ilaaj band, hospital wale mareez lauta rahe hain, sharam aani chahiye {n}",
    "hisar me chirayu card wale mareezon ko wapas bhej diya, koi sunwai nahi {n}",
    "हिसार: चिरायु योजना के मरीज़ों को अस्पताल ने भगाया, सरकार जवाब दे {n}",
]


@dataclass(frozen=True)
class Stream:
    """The mentions in publication order, when the event began and ended, and the event's mention ids."""

    mentions: list[Mention]
    start: datetime
    end: datetime
    event_start: datetime
    event_end: datetime
    event_ids: frozenset[str]


def _when(rng: random.Random, start: datetime, hours: float) -> datetime:
    """A random moment, denser by day (IST) than at night, as news and posts are."""
    while True:
        moment = start + timedelta(seconds=rng.uniform(0, hours * 3600))
        hour_ist = (moment.hour + 5.5) % 24
        if rng.random() < (1.0 if 7 <= hour_ist <= 22 else 0.3):
            return moment.replace(microsecond=0)


def _ordinary(rng: random.Random, number: int, start: datetime, hours: float) -> Mention:
    district, district_en = rng.choice(DISTRICTS)
    scheme, scheme_en = rng.choice(SCHEMES)
    style = rng.random()
    values = {"district": district, "district_en": district_en, "scheme": scheme, "scheme_en": scheme_en,
              "n": rng.randint(3, 900)}
    template = rng.choice(HINDI if style < 0.6 else ROMAN if style < 0.85 else ENGLISH)
    text = template.format(**values) + f" ({rng.choice(['सूचना', 'रिपोर्ट', 'update', 'khabar'])} {number})"
    published = _when(rng, start, hours)
    if rng.random() < 0.4:
        outlet, domain = rng.choice(OUTLETS)
        url = f"https://www.{domain}/haryana/{district_en.lower().replace(' ', '-')}/story-{number}.html"
        return Mention(id=mention_id_for_url(url), url=url, title=text.split(",")[0], text=text,
                       source=Source(name=outlet, domain=domain), published_at=published)
    platform = rng.choice([Platform.x, Platform.facebook])
    post_id = f"bg-{number}"
    return Mention(id=mention_id_for_post(platform, post_id), platform=platform, post_id=post_id, text=text,
                   source=Source(name=f"@user{rng.randint(1, 400)}"), published_at=published)


def _event(rng: random.Random, event_start: datetime) -> list[Mention]:
    found = []
    for number, (title, text) in enumerate(EVENT_ARTICLES):
        outlet, domain = OUTLETS[number]
        url = f"https://www.{domain}/haryana/hisar/chirayu-{number}.html"
        published = event_start + timedelta(minutes=5 + 15 * number)
        found.append(Mention(id=mention_id_for_url(url), url=url, title=title, text=text,
                             source=Source(name=outlet, domain=domain), published_at=published))
    for number in range(20):
        platform = Platform.x if number % 2 else Platform.facebook
        post_id = f"event-{number}"
        text = EVENT_POSTS[number % len(EVENT_POSTS)].format(n=rng.randint(10, 99))
        published = event_start + timedelta(minutes=8 + 2.5 * number, seconds=rng.randint(0, 59))
        found.append(Mention(id=mention_id_for_post(platform, post_id), platform=platform, post_id=post_id,
                             text=text, source=Source(name=f"@hisar_voice{number}"), published_at=published))
    return found


def scripted_stream(*, seed: int = 13, hours: int = 48, ordinary: int = 2000, event_at_hour: float = 40.0,
                    end: datetime | None = None,
                    event: Callable[[random.Random, datetime], list[Mention]] | None = None) -> Stream:
    """``ordinary`` unrelated mentions over ``hours`` hours ending at ``end`` (default: the last full hour a day
    ago), and the event (default: the Chirayu complaints above; ``event(rng, event_start)`` gives another) starting
    ``event_at_hour`` hours in."""
    rng = random.Random(seed)
    end = end or (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=hours)
    event_start = start + timedelta(hours=event_at_hour)
    mentions = [_ordinary(rng, number, start, hours) for number in range(ordinary)]
    event = (event or _event)(rng, event_start)
    mentions = sorted(mentions + event, key=lambda m: (m.published_at, m.id))
    last = max(m.published_at for m in event if m.published_at)
    return Stream(mentions=mentions, start=start, end=end, event_start=event_start, event_end=last,
                  event_ids=frozenset(m.id for m in event))


def polls(stream: Stream, every: timedelta) -> Iterator[tuple[datetime, list[Mention]]]:
    """The stream as a poller sees it: each poll from the start to the end, with what was published since the last."""
    pending = iter(stream.mentions)
    waiting = next(pending, None)
    poll = stream.start + every
    while poll <= stream.end:
        batch = []
        while waiting is not None and waiting.published_at <= poll:
            batch.append(waiting)
            waiting = next(pending, None)
        yield poll, batch
        poll += every
