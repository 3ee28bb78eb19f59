"""Rumour cues: does a text read like a viral forward rather than news? (the ``suspected`` kind of
misinformation signal).

Forwards that spread false claims share a voice that news prose does not have: they ask to be passed on
("आगे भेजें", "share karo", "forward to all groups"), call a whole group to attention ("सभी बुजुर्ग ध्यान दें",
"Sabhi buzurg dhyan dein"), announce that the government has stopped a benefit ("सरकार ने बंद कर दी",
"band kar di"), promise money to everyone ("सभी को ₹… मिलेंगे", "free recharge", "form bharein link par"), post
recruitment notices that ask for a fee, address the reader as a bank's or utility's customer, or say that no
channel dares to show something. Each cue is a weighted phrase pattern in Devanagari, romanised Hindi and English,
read per sentence on ``nlp.normalize.fold`` output; a text is suspected when the cues of one passage (about
``PASSAGE`` characters) weigh 1 together, so that a long report's weak cues, paragraphs apart, do not add up. A cue
right after a negation ("आगे न भेजें", "do not forward") is an advisory, not a forward, and counts for nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import ahocorasick

from nlp.automaton import iter_matches
from nlp.normalize import FoldedText, fold, fold_word, folded_text, next_cut

THRESHOLD = 1.0
# sentences are folded and joined by newlines: words are separated by spaces, and no cue reaches across a newline
_B0 = r"(?<![^ \n])"
_B1 = r"(?![^ \n])"
_GAP = r"(?: [^ \n]+){0,6}?"
# a run of sentence marks, or a full stop before a space or the end: written to start with one character class (a
# pattern that starts with alternatives is tried at every position), and matching exactly what
# "[।!?\n|]+|\.(?:\s|$)" matches
_SENTENCES = re.compile(r"[।!?\n|.](?:(?<=\.)(?:\s|$)|(?<![.])[।!?\n|]*)")


_PHRASES: dict[str, tuple[str, ...]] = {}
"""The folded phrases of each ``_any`` pattern, so that a cue that is only a list of phrases is looked up with one
Aho-Corasick pass instead of a pattern tried at every word."""
_LITERALS: dict[str, tuple[str, ...]] = {}
"""The folded text every match of an ``_any`` pattern holds (an open end cut off): anchors for the patterns."""


def _any(*phrases: str) -> str:
    """Whole-word alternatives of folded phrases (a trailing ``*`` leaves the last word open: ``milen*``)."""
    parts = []
    for phrase in phrases:
        open_end = phrase.endswith("*")
        folded = re.escape(fold(phrase.rstrip("*"))).replace(r"\ ", " ")
        parts.append(folded + (r"[^ ]*" if open_end else ""))
    pattern = rf"{_B0}(?:{'|'.join(parts)}){_B1}"
    _LITERALS[pattern] = tuple(fold(phrase.rstrip("*")) for phrase in phrases)
    if not any(phrase.endswith("*") for phrase in phrases):
        _PHRASES[pattern] = tuple(fold(phrase) for phrase in phrases)
    return pattern


def _near(*patterns: str) -> str:
    """The patterns in this order within one sentence, a few words apart."""
    return f"{_GAP} ".join(f"(?:{pattern})" for pattern in patterns)


# "all" and "every", but not "every month" or हर साल
_NOT_A_PERIOD = (r"(?! (?:महिन[^ ]*|माह|साल|वर्ष|दिन|हफ्त[^ ]*|month[^ ]*|year[^ ]*|day[^ ]*|week[^ ]*|mahin[^ ]*"
                 r"|saal|din|time))")
_ALL = (_any("सभी", "सब", "हर", "सारे", "तमाम", "sabhi", "sab", "sabko", "har", "saare", "all", "every", "everyone")
        + _NOT_A_PERIOD)
# groups a forward promises money to ("unemployed youth will get Rs 6,000"); weaker than "all"
_GROUP = _any("युवाओं", "युवकों", "महिलाओं", "किसानों", "बेरोजगारों", "छात्रों", "छात्राओं", "बेटियों", "लड़कियों",
              "बुजुर्गों", "yuvaon", "mahilaon", "kisano", "berozgaron", "berojgaron", "chhatron", "betiyon",
              "ladkiyon", "youth", "youths", "women", "farmers", "unemployed", "students", "girls", "daughters")
_YOU = _any("you", "aapko", "आपको", "tumhe", "तुम्हें", "aap")
_MONEY = (rf"{_B0}(?:rs|inr|रु|रुपये|रुपए|रूपये|rupaye|rupay|rupees)? ?\d[\d ]*(?: (?:हजार|लाख|करोड|hazar|lakh|"
          rf"crore|thousand))? ?(?:rs|रु|रुपये|रुपए|रूपये|रुपया|rupaye|rupay|rupees|rupye){_B1}"
          rf"|{_B0}(?:rs|inr) \d")
_WILL_GET = _any("मिलेंगे", "मिलेगा", "मिलेगी", "मिलेंगी", "मिल रहे हैं", "मिल रहा है", "देगी", "देगा", "देंगे",
                 "दिए जाएंगे", "दिया जाएगा", "दी जाएगी", "दे रही है", "दे रहा है", "milenge", "milega", "milegi",
                 "mil raha hai", "mil rahe hain", "degi", "dega", "denge", "de rahi hai", "diye jayenge",
                 "will get", "will also get", "will give", "will be given", "will receive", "is giving",
                 "are getting", "get rs", "getting rs", "credited")
_FREE_THING = _near(_any("free", "फ्री", "मुफ्त", "muft", "mufat"),
                    _any("recharge*", "रिचार्ज", "laptop*", "लैपटॉप", "scooty", "स्कूटी", "smartphone*",
                         "स्मार्टफोन", "mobile", "मोबाइल", "tablet*", "टैबलेट", "silai", "सिलाई", "sewing",
                         "cylinder", "सिलेंडर", "data", "डेटा", "internet"))
_APPLY = _any("registration process has started", "registration has started", "registration शुरू",
              "रजिस्ट्रेशन शुरू", "रजिस्ट्रेशन हो रहा है", "प्री रजिस्ट्रेशन", "pre registration", "form bharein",
              "form bharen", "form bhare", "form bharo", "फॉर्म भरें", "फॉर्म भरे", "आवेदन करें",
              "आवेदन करे", "आवेदन शुरू", "apply now", "apply karein", "apply karen", "apply karo", "abhi apply",
              "register now", "registration karein", "registration karo", "registration karwao", "रजिस्ट्रेशन करें",
              "रजिस्ट्रेशन करे", "करे रजिस्ट्रेशन", "register before", "link par click", "link pe click",
              "link par apply", "लिंक पर क्लिक", "click here", "click karein", "click karo", "नीचे दिए लिंक",
              "neeche diye link", "is link par", "इस लिंक पर", "on this link", "naam darj karo", "नाम दर्ज करें")
_HURRY = _any("last date", "अंतिम तिथि", "आखिरी तारीख", "aakhri tarikh", "aakhri date", "few hours left",
              "जल्द से जल्द", "jaldi karo", "jaldi karein", "jaldi kare", "जल्दी करें", "जल्दी करे", "abhi karo",
              "turant", "तुरंत", "immediately", "today only", "aaj hi", "आज ही")
_FORWARD = _any(
    "आगे भेजें", "आगे भेजो", "आगे भेजे", "आगे फॉरवर्ड", "ज्यादा से ज्यादा शेयर", "ज्यादा से ज्यादा फैलाओ",
    "ज्यादा से ज्यादा फैलाएं", "इसे फैलाओ", "इसे फैलाएं", "ग्रुप में भेजें", "ग्रुप में भेजो", "ग्रुप में शेयर",
    "शेयर करें", "शेयर करो", "फॉरवर्ड करें", "फॉरवर्ड करो", "सब तक पहुंचाएं", "सब तक पहुंचाओ", "share karo",
    "share kare", "share karein", "share karen", "forward karo", "forward karein", "aage bhejo", "aage bhejein",
    "aage bheje", "aage forward", "group mein bhejo", "group me bhejo", "group mein share", "sab tak share",
    "sabko bhejo", "sabko share", "jyada se jyada share", "zyada se zyada share", "forward to all",
    "forward this", "share this message", "share this post", "share it as much as possible",
    "share as much as possible", "please share", "pls share", "share with all", "send to all", "share widely")
_NEGATION = _any("न", "ना", "मत", "नहीं", "na", "mat", "nahi", "not", "don't", "dont", "never")
# English "attention" alone is news prose too ("a crisis demanding urgent attention"): a forward calls for it
_ATTENTION = _any("ध्यान दें", "ध्यान दे", "ध्यान से देखिए", "dhyan dein", "dhyan den", "dhyan de", "dhyaan dein",
                  "please note", "attention please", "kind attention", "attention all", "attention everyone",
                  "attention friends")
# a sentence that opens with the call ("Attention! …", "URGENT: …")
_CALL = rf"(?m)^{_any('attention', 'urgent')}"
_ALARM = _any("सावधान", "अलर्ट", "alert", "urgent message", "urgent notice", "urgent news",
              "जरूरी सूचना", "जरूरी खबर", "zaroori soochna", "zaruri suchna",
              "zaroori khabar", "important notice", "big news", "big breaking", "breaking news", "बड़ी खबर",
              "badi khabar", "sावधान")
_STOPPED = _any("बंद कर दी", "बंद कर दिया", "बंद कर दिए", "बंद हो जाएगी", "बंद हो जाएगा", "बंद होने वाली",
                "बंद होने वाला", "हमेशा के लिए बंद", "band kar di", "band kar diya", "band ho jayegi",
                "band ho jayega", "band hone wali", "band hone wala", "hamesha ke liye band", "has been stopped",
                "will be stopped", "has stopped")
_BENEFIT = _any("पेंशन", "pension", "राशन", "ration", "सब्सिडी", "subsidy", "योजना", "yojana", "yojna", "scheme",
                "भत्ता", "bhatta", "गैस", "gas", "सिम", "sim", "खाता", "khata", "account", "गेहूं", "gehun")
_JOB = _any("भर्ती", "bharti", "recruitment", "vacancy", "vacancies", "job alert", "naukri", "नौकरी", "joining")
_JOB_FEE = _any("fee", "fees", "शुल्क", "जमा करें", "jama karein", "deposit", "bharo", "without exam", "bina pariksha",
                "बिना परीक्षा", "सीधी भर्ती", "seedhi bharti", "direct recruitment", "joining letter", "form fee")
_FEE_DEMAND = (rf"{_near(_any('pay', 'deposit', 'जमा', 'bharo', 'bharein', 'भरें'), _MONEY)}"
               rf"|{_any('non refundable', 'non-refundable', 'नॉन रिफंडेबल', 'registration fee', 'रजिस्ट्रेशन फीस')}")
_CALL_US = _any("call our", "calling our", "call this number", "call on this number", "is number par call",
                "is number pe call", "इस नंबर पर कॉल")
_UPDATE_YOUR = _any("update your bill", "update your pan", "update your kyc", "update your account",
                    "update your details", "अपना केवाईसी अपडेट", "kyc update karo", "kyc update karein",
                    "e-kyc update karwao", "update karwao")
_TEASER = _any("इतनी मिलेगी", "इतने मिलेंगे", "इतना मिलेगा", "itni milegi", "itne milenge", "itna milega")
_CHILD_LIFTING = _any("बच्चा चोर", "बच्चे चोर", "bachcha chor", "bacha chor", "child lifter", "child lifters",
                      "child lifting", "kidnapper gang", "kidnappers gang", "organ traders", "कलेजे और किडनी")
_PLEASE = _any("कृपया", "kripya")
_PLEASE_DO = (rf"(?m)^(?:{_any('कृपया', 'kripya', 'please', 'do not', 'dont', 'never')})"
              rf"|{_near(_PLEASE, _any('देखिए', 'रखिए', 'करें', 'भेजें', 'न खोलें', 'dekhiye', 'rakhiye'))}")
_IMPERATIVES = _any("करो", "भेजो", "देखो", "सुनो", "बोलो", "जागो", "उठो", "karo", "bhejo", "dekho", "suno", "bolo",
                    "bajao", "baajo", "jaago", "uthao", "batao")
# informal plural imperatives (बजाओ, फैलाओ) are a forward's voice; बचाओ and पढ़ाओ are in a scheme's name
_IMPERATIVE = rf"{_B0}[^ ]+ाओ{_B1}(?<!बचाओ)(?<!पढ़ाओ)(?<!पढाओ)|{_IMPERATIVES}"
_WE_WITH_YOU = _any("हम तुम्हारे साथ", "hum tumhare saath", "hum tumhare sath", "हम आपके साथ")
_SLOGAN = _any("जय श्री राम", "jai shri ram", "jai jai shri ram", "हाय हाय", "murdabad", "मुर्दाबाद", "zindabad",
               "जिंदाबाद", "jai jawan", "jai kisan", "jai kisaan")
_INSULT = _any("अंधभक्त", "andhbhakt", "पिशाच", "गुंडों", "गुंडे", "goons", "खालिस्तानी", "khalistani", "गद्दार",
               "gaddar", "traitors", "जिहादी", "jihadi", "टुकड़े टुकड़े", "tukde tukde", "chamcha", "चमचे")
_CUSTOMER = _any("dear customer", "dear customers", "dear user", "dear sir madam", "प्रिय ग्राहक", "priya grahak")
_BLOCKED = _near(_any("your", "आपका", "आपके", "aapka", "aapke"),
                 _any("blocked", "block", "ब्लॉक", "disconnected", "cut", "कट", "kat", "suspended", "band"))
_MEDIA_SILENT = _near(_any("कोई भी", "koi bhi", "no"), _any("चैनल", "मीडिया", "channel", "media"),
                      _any("हिम्मत नहीं", "नहीं दिखा*", "himmat nahi", "nahi dikha*", "won't show", "will not show"))
_GODI = _any("गोदी मीडिया", "godi media")

_DIGIT = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
# (name, weight, pattern over the folded sentences, anchors: groups of words; the text must hold a word of every
# group for the pattern to be tried, and it is tried only on the sentences that hold a word of the first group.
# A plain substring test is far cheaper than a pattern that may start at any word, and every match of a pattern
# holds a word of its first group (and the text one of each other group), so the anchors change no result.)
_CUE_TABLE: tuple[tuple[str, float, str, tuple[tuple[str, ...], ...]], ...] = (
    ("forward-request", 1.0, _FORWARD, ()),
    ("group-alert", 1.0, _near(_ALL, _ATTENTION), (("ध्यान", "dhyan", "dhyaan", "note", "attention"),)),
    ("attention", 0.5, _ATTENTION, (("ध्यान", "dhyan", "dhyaan", "note", "attention"),)),
    ("call-to-attention", 0.5, _CALL, (("attention", "urgent"),)),
    ("alarm", 0.5, _ALARM, ()),
    ("benefit-stopped", 1.0, rf"{_near(_BENEFIT, _STOPPED)}|{_near(_STOPPED, _BENEFIT)}", (("बंद", "band", "stopped"),)),
    ("stopped", 0.5, _STOPPED, (("बंद", "band", "stopped"),)),
    ("money-to-all", 1.0, rf"{_near(_ALL, _MONEY, _WILL_GET)}|{_near(_ALL, _WILL_GET, _MONEY)}",
     (_LITERALS[_WILL_GET], _DIGIT)),
    ("money-promise", 0.5, rf"{_near(_MONEY, _WILL_GET)}|{_near(_WILL_GET, _MONEY)}", (_LITERALS[_WILL_GET], _DIGIT)),
    ("money-to-group", 0.25, rf"{_near(_GROUP, _MONEY)}|{_near(_MONEY, _GROUP)}", (_LITERALS[_GROUP], _DIGIT)),
    ("you-will-get", 0.75, _near(_YOU, _WILL_GET), (("you", "आपको", "aap", "tumhe", "तुम्हें"),)),
    ("fee-demand", 0.75, _FEE_DEMAND, (("pay", "deposit", "जमा", "bhar", "भरें", "refund", "रिफंड", "fee", "फीस"),)),
    ("call-us", 0.5, _CALL_US, (("call", "कॉल"),)),
    ("update-request", 0.5, _UPDATE_YOUR, (("update", "अपडेट"),)),
    ("teaser", 0.5, _TEASER, (("इतन", "itn"),)),
    ("child-lifting", 0.75, _CHILD_LIFTING, (("चोर", "chor", "child", "kidnap", "organ", "किडनी"),)),
    ("please-do", 0.5, _PLEASE_DO, (("कृपया", "kripya", "please", "not", "dont", "never"),)),
    # a word ending in ाओ (the probe text ends with a newline), or one of the listed imperatives
    ("imperative", 0.5, _IMPERATIVE, (("ाओ ", "ाओ\n", *_LITERALS[_IMPERATIVES]),)),
    ("we-are-with-you", 0.5, _WE_WITH_YOU, (("साथ", "saath", "sath"),)),
    ("slogan", 0.5, _SLOGAN, ()),
    ("insult", 0.5, _INSULT, ()),
    ("free-offer", 0.75, _FREE_THING, (("free", "फ्रि", "मुफ्त", "muft", "mufat"),)),
    ("apply-link", 0.5, _APPLY, ()),
    ("hurry", 0.5, _HURRY, ()),
    ("recruitment-fee", 1.0, rf"{_near(_JOB, _JOB_FEE)}|{_near(_JOB_FEE, _JOB)}",
     (("भर्ति", "bharti", "recruitment", "vacanc", "job", "naukri", "नौकरि", "joining"),)),
    ("customer", 0.5, _CUSTOMER, ()),
    ("account-threat", 0.75, _BLOCKED, (("your", "आपका", "आपके", "aapka", "aapke"),)),
    ("media-silent", 1.0, _MEDIA_SILENT, (("चैनल", "मीडिया", "channel", "media"),)),
    ("godi-media", 0.5, _GODI, ()),
)
# cues read from the marks of the raw text, not from the folded words
_MARK_WEIGHTS = {"hashtag": 0.5, "exclamation": 0.25, "sic": 0.5}
_WEIGHTS = {name: weight for name, weight, _, _ in _CUE_TABLE} | _MARK_WEIGHTS
# cues that are a plain list of phrases: found by the automaton; the others are patterns, tried only when the
# automaton saw a word of each of their anchor groups
_PATTERNS = {name: re.compile(pattern) for name, _, pattern, _ in _CUE_TABLE if pattern not in _PHRASES}
_GROUPS = tuple(dict.fromkeys(tuple(fold_word(word) for word in group)
                              for _, _, pattern, anchors in _CUE_TABLE if pattern not in _PHRASES for group in anchors))
_ANCHORED = tuple((name, tuple(_GROUPS.index(tuple(fold_word(word) for word in group)) for group in anchors))
                  for name, _, pattern, anchors in _CUE_TABLE if pattern not in _PHRASES)
_UNANCHORED = tuple((name, ()) for name, groups in _ANCHORED if not groups)
_BY_FIRST_GROUP: dict[int, tuple[tuple[str, tuple[int, ...]], ...]] = {
    number: tuple((name, groups) for name, groups in _ANCHORED if groups and groups[0] == number)
    for number in range(len(_GROUPS))}
# a pattern with an open word end ([^ ]* or [^ ]+, which a newline does not stop) may run into the next sentence:
# those read the whole text
_WHOLE_TEXT = frozenset(name for name, _, pattern, anchors in _CUE_TABLE
                        if pattern not in _PHRASES and ("[^ ]" in pattern.replace(_NOT_A_PERIOD, "") or not anchors))


# Anchor groups that are never a cue's first group: only whether the text holds one of their words counts, not in
# which sentences. Their words (the digits of the money cues: most of a news text's matches) are looked for with
# ``in`` rather than reported one by one by the automaton.
_PRESENT_ONLY = tuple(number for number in range(len(_GROUPS))
                      if not any(groups and groups[0] == number for _, groups in _ANCHORED))


def _automaton() -> tuple[ahocorasick.Automaton, tuple[tuple[int, re.Pattern[str]], ...]]:
    """One automaton over the phrases of the phrase cues and the anchor words of the pattern cues: each key gives
    the phrase cues it is (name, length) and the anchor groups it belongs to. Left out: the words that are no
    phrase and belong only to ``_PRESENT_ONLY`` groups, returned as a pattern per group (any of its words)."""
    phrases: dict[str, list[tuple[str, int]]] = {}
    groups: dict[str, set[int]] = {}
    for name, _, pattern, _ in _CUE_TABLE:
        for phrase in _PHRASES.get(pattern, ()):
            phrases.setdefault(phrase, []).append((name, len(phrase)))
    for number, group in enumerate(_GROUPS):
        for word in group:
            groups.setdefault(word, set()).add(number)
    automaton = ahocorasick.Automaton()
    present: dict[int, list[str]] = {}
    for key in {*phrases, *groups}:
        if key not in phrases and groups[key] <= set(_PRESENT_ONLY):
            for number in groups[key]:
                present.setdefault(number, []).append(key)
            continue
        automaton.add_word(key, (tuple(phrases.get(key, ())), frozenset(groups.get(key, ()))))
    automaton.make_automaton()
    return automaton, tuple((number, re.compile("|".join(map(re.escape, sorted(words)))))
                            for number, words in sorted(present.items()))


_AUTOMATON, _PRESENT_WORDS = _automaton()
_NEGATED = re.compile(rf"(?:{_NEGATION}) ?$")
_NEGATION_REACH = 2 + max(map(len, _LITERALS[_NEGATION]))
_NEWLINE = re.compile("\n")
_HASHTAG = re.compile(r"(?<!\w)#\w")
_EXCLAMATION = re.compile("[!‼]")


@dataclass(frozen=True, slots=True)
class RumourCues:
    """What the detector found: the total weight, whether that makes the text suspected, and the cues."""

    score: float
    suspected: bool
    cues: tuple[str, ...]


PASSAGE = 800
"""Cues weigh together only within a passage of about this many characters. A forward is short, while a long news
article gathers a weak cue here and another there ("alert" in one paragraph, "immediately" five paragraphs on)
that add up to a forward's score although no part of it reads like one."""
_PLACES = 16
"""Places kept per kind of cue: enough to find the passage where the cues meet, bounded for a long text."""


class CueTally:
    """The cues found so far in a text, each with the places (character offsets, about those of the text) where it
    occurs. A long text is read window by window into one tally; ``base`` is the offset of the window being read."""

    __slots__ = ("base", "places")

    def __init__(self) -> None:
        self.base = 0
        self.places: dict[str, list[int]] = {}

    def full(self, name: str) -> bool:
        """Whether enough places of this cue are known."""
        return len(self.places.get(name, ())) >= _PLACES

    def add(self, name: str, offset: int) -> None:
        """One more place of a cue, at ``offset`` in the window being read."""
        places = self.places.setdefault(name, [])
        if len(places) < _PLACES:
            places.append(self.base + offset)


def rumour_cues(text: str) -> RumourCues:
    """Weigh a text's rumour cues; each kind of cue counts once. A long text is read a window at a time."""
    tally = CueTally()
    folded = folded_text(text)
    for start, end in sentence_windows(text):
        tally.base = start
        find_cues(text[start:end], folded.part(start, end), tally)
    return weigh(tally)


_NO_CUES = RumourCues(score=0.0, suspected=0.0 >= THRESHOLD - 1e-9, cues=())
"""``weigh`` of a text without any cue."""


def weigh(tally: CueTally) -> RumourCues:
    """The verdict on the cues found in a text: the passage whose kinds of cue weigh most."""
    if not tally.places:
        return _NO_CUES
    events = sorted((offset, name) for name, places in tally.places.items() for offset in places)
    best: dict[str, int] = {}
    inside: dict[str, int] = {}
    score = best_score = 0.0
    first = 0
    for offset, name in events:
        while events[first][0] < offset - PASSAGE:
            gone = events[first][1]
            inside[gone] -= 1
            if not inside[gone]:
                del inside[gone]
                score -= _WEIGHTS[gone]
            first += 1
        if name not in inside:
            score += _WEIGHTS[name]
        inside[name] = inside.get(name, 0) + 1
        if score > best_score + 1e-9:
            best_score, best = score, dict(inside)
    return RumourCues(score=round(best_score, 3), suspected=best_score >= THRESHOLD - 1e-9,
                      cues=tuple(sorted(best, key=_ORDER.__getitem__)))


def find_cues(text: str, folded: FoldedText, tally: CueTally) -> None:
    """Add the cues of one text (a whole mention or a window of a long one) to ``tally``, reading its fold."""
    folded = _folded_sentences(text, folded)
    probe = f"{folded}\n"  # ends with a newline, so that an anchor may say "at the end of a word"
    sentence_ends = [m.start() for m in _NEWLINE.finditer(probe)]
    seen: dict[int, set[int]] = {}  # anchor group -> the sentences (by number) that hold one of its words
    for end, (phrases, groups) in iter_matches(_AUTOMATON, probe):
        if groups:
            sentence = bisect_left(sentence_ends, end)
            for group in groups:
                seen.setdefault(group, set()).add(sentence)
        for name, length in phrases:
            start = end - length + 1
            if not tally.full(name) and _whole_words(folded, start, end + 1) and not _negated(folded, start):
                tally.add(name, start)
    for group, words in _PRESENT_WORDS:
        if group not in seen and words.search(probe):
            seen[group] = set()  # held somewhere; no cue reads in which sentences
    to_try = [*_UNANCHORED, *(cue for group in seen for cue in _BY_FIRST_GROUP[group])]
    for name, needed in to_try:
        if tally.full(name) or not all(group in seen for group in needed[1:]):
            continue
        if name in _WHOLE_TEXT:
            spans = [(0, len(folded))]
        else:
            spans = [(sentence_ends[n - 1] + 1 if n else 0, sentence_ends[n]) for n in sorted(seen[needed[0]])]
        for start, stop in spans:
            for match in _PATTERNS[name].finditer(folded, start, stop):
                if tally.full(name):
                    break
                if not _negated(folded, match.start()):
                    tally.add(name, match.start())
    if "#" in text:
        for match in _HASHTAG.finditer(text):
            if tally.full("hashtag"):
                break
            tally.add("hashtag", match.start())
    for mark in _EXCLAMATION.finditer(text):
        if tally.full("exclamation"):
            break
        tally.add("exclamation", mark.start())
    if "(sic)" in text.lower():
        tally.add("sic", text.lower().index("(sic)"))


WINDOW = 1 << 16
"""A text longer than this is read in windows of about this many characters, each ending at a sentence end (no
cue reaches across one), so that the work a book-length text needs at once stays bounded."""
_WINDOW_BREAK = re.compile(r"[।!?\n|]+\s*|\.\s+")


def sentence_windows(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the whole text, or for a text longer than ``WINDOW`` of its consecutive windows, each
    cut after a sentence end (or, in a window without one, after a word) where the text's fold can be cut too
    (``nlp.normalize.next_cut``)."""
    windows, start = [], 0
    while len(text) - start > WINDOW:
        found = _WINDOW_BREAK.search(text, start + WINDOW, start + 2 * WINDOW)
        end = next_cut(text, found.end() if found else start + WINDOW)
        windows.append((start, end))
        start = end
    if start < len(text) or not windows:
        windows.append((start, len(text)))
    return windows


_ORDER = {name: rank for rank, name in enumerate(_WEIGHTS)}


def _folded_sentences(text: str, folded: FoldedText) -> str:
    """The folded text with a newline between sentences, from the fold of the text the other taggers made
    (``nlp.normalize.folded_text``); a text with ₹ is folded sentence by sentence with ₹ read as "rs"."""
    if "₹" in text:
        return "\n".join(fold(sentence) for sentence in _SENTENCES.split(text.replace("₹", " rs ")))
    out = folded.text
    pieces, previous = [], 0
    for end in _SENTENCES.finditer(text):
        cut = folded.to_folded(end.start())
        if previous <= cut < len(out) and cut > 0 and out[cut] == " ":
            pieces.append(out[previous:cut])
            previous = cut + 1
    pieces.append(out[previous:])
    return "\n".join(pieces).strip()


def _whole_words(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] in " \n") and (end == len(text) or text[end] in " \n")


def _negated(text: str, start: int) -> bool:
    """Whether a negation word comes right before ``start`` in its sentence."""
    # a negation is one short word and a space: look back no further than that (linear in the text's length)
    window = max(0, start - _NEGATION_REACH)
    return bool(_NEGATED.search(text, text.rfind("\n", window, start) + 1 or window, start))


def is_suspected(text: str) -> bool:
    """Whether a text reads like a rumour forward."""
    return rumour_cues(text).suspected
