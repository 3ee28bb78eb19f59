"""Scheme discovery: named government programmes outside the scheme catalogue, as candidate schemes.

A programme word (योजना, Yojana, Scheme, Mission, Abhiyan, Nidhi, Card, Bhatta, Allowance, Shivir, camp, कार्यक्रम,
परियोजना…) closes a name; the name is the run of name words before it, up to a function word (postposition,
pronoun, determiner, conjunction, verb form, quantity, an office such as विभाग), a number, punctuation or a line
break. Mission, Operation and मिशन may also open a name at the start of a phrase (मिशन शक्ति, Operation Muskaan), up
to an oblique plural noun (बच्चों). A name in quote marks right before its programme word is one (‘अर्न वाइल लर्न’
योजना). Romanised and English name words must be capitalised (but for a few lower-case words of a sentence-case
English name: Water Bill settlement camp; and OTS yojana, an acronym); hashtags and handles are no name words.
A name made only of generic words
(नई योजना, महंगाई भत्ता, चुनाव अभियान, सांस्कृतिक कार्यक्रम) or of a scope alone (राष्ट्रीय मिशन), an identity or
everyday document (राशन कार्ड, रिपोर्ट कार्ड), an employee's pay (जोखिम भत्ता), a works project (मेट्रो परियोजना), a
commercial or fraudulent "scheme" (Ponzi scheme), a routine or military drive (वाहन चेकिंग अभियान, सैन्य अभियान,
an Operation in a sentence about the army), a programme word in another sense (मिशन मोड, योजना बनाना), a campaign of
a party or an offer or camp of a bank, shop, club or society named just before it or of its agent (पार्टी ने … गांव
चलो अभियान, SBI's … Scheme, एजेंट ने … योजना की पॉलिसी बेची, … की ओर से लगाए गए शिविर, run by a private academy), a
name a fact check denies (… नाम की कोई योजना नहीं; a claim, then ऐसी कोई योजना नहीं), the title of a film or course
(फिल्म ‘मिशन मंगल’, the trailer of 'Operation X', … naam ka crash course), a war's or an evacuation's Operation, a
girl called निधि or योजना (बेटी निधि, योजना शर्मा), a drive named only by its activity (टीकाकरण अभियान), an event
(शाम सांस्कृतिक कार्यक्रम), a project with its cost before it (85 करोड़ रुपये की … परियोजना), a quoted name a fact
check calls fake or a catalogue scheme is not a candidate (the labelling rules: ``docs/schemes.md``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import ahocorasick

from janmat.core.errors import InputError
from janmat.core.mention import Evidence, Mention, SchemeCandidate, SchemeTag
from nlp.automaton import iter_matches
from nlp.normalize import fold, folded_text
from nlp.schemes import RESOURCE, SchemeTagger, another_state_before, get_scheme_tagger
from nlp.tagger import register_tagger

_TOKEN = re.compile(r"[\w\u0900-\u0963\u0966-\u097F]+(?:[-'’][\w\u0900-\u0963\u0966-\u097F]+)*")
_SENTENCE_END = re.compile(r"[.!?।|\n]")
MAX_NAME_WORDS = 7
"""Name words kept before a closing programme word (the longest dev name has 5)."""
_AFTER = 12
"""Tokens read from a programme word on: an opening name (two words) and what follows it in its clause (नाम का …,
नाम की कोई योजना नहीं, … योजना की दो पॉलिसी बेचीं)."""


def _folded(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


# The lists spell a loan word in each script it is written in (report, रिपोर्ट). One cross-script key per word
# (nlp.crossscript.word_key) would fold only some of these pairs together (green = ग्रीन, but report, metro, bank,
# checking keep apart from रिपोर्ट, मेट्रो, बैंक, चेकिंग) and would make false friends of common words: सभी = SBI,
# अभी ≈ abhiyan, भट्ट ≈ bhatta, and plurals (स्कीमें, अभियानों) would become programme words. Tried on the dev rows
# and ~58,000 unlabelled texts, it lost 42 candidates (स्कूल चलो अभियान among them) and added 727, nearly all false
# (अभी डिबेट, महेश भट्ट), so the lists stay folded spellings.


# a programme word that ends a name
_CLOSING = _folded("योजना", "योजन", "yojana", "yojna", "scheme", "स्कीम", "mission", "मिशन", "abhiyan", "अभियान",
                   "nidhi", "निधि", "card", "कार्ड", "bhatta", "भत्ता", "shivir", "शिविर", "कार्यक्रम", "karyakram",
                   "programme", "program", "परियोजना", "pariyojana", "project", "allowance", "camp")
# a programme word that may open a name
_OPENING = _folded("mission", "मिशन", "operation", "ऑपरेशन", "ओपरेशन", "abhiyan")
_PROGRAMME_WORDS = _CLOSING | _OPENING
_CARD = _folded("card", "कार्ड")
_NIDHI = _folded("nidhi", "निधि")
_YOJANA = _folded("योजना", "योजन", "yojana", "yojna")
_ALLOWANCE = _folded("bhatta", "भत्ता", "allowance")
_CAMP = _folded("shivir", "शिविर", "camp")
_ENGLISH_CAMP = _folded("camp")  # of one name word, a place or a team's (Dharamshala camp); शिविर not (समाधान शिविर)
_LOWER_WORDS = 2
"""Lower-case words a sentence-case English name may hold before its programme word (Ration Card correction camp);
more is a sentence run into a capitalised word (Acre limit anymore pension scheme)."""
_PROJECT = _folded("परियोजना", "pariyojana", "project")
# a sum just before a project (160 करोड़ रुपये की सीवरेज परियोजना, a Rs 40 crore project): a works project's cost
_MONEY = _folded("रुपये", "रुपए", "रुपया", "रुपयों", "करोड़", "करोड़ों", "लाख", "अरब", "crore", "lakh", "rupees", "rs")
_OPERATION = _folded("operation", "ऑपरेशन")
# a particle that may stand inside a name (स्वच्छता ही सेवा अभियान, जल ही जीवन योजना) but never opens one
_NOT_FIRST = _folded("ही")
_ENGLISH_CLOSING = _folded("scheme", "programme", "program", "project", "card", "mission", "allowance", "camp")
# words that end a name on its left: they are never a word of a programme's name
_STOP = _folded(
    # postpositions, pronouns, determiners, conjunctions, auxiliaries
    "के", "की", "का", "को", "में", "से", "ने", "पर", "तक", "और", "या", "एवं", "व", "तथा", "भी", "है", "हैं", "था",
    "थी", "थे", "हो", "इस", "उस", "यह", "वह", "ये", "वे", "इन", "उन", "एक", "किसी", "कोई", "अपनी", "अपने", "अपना",
    "सरकार", "सरकारी", "तहत", "लिए", "द्वारा", "बाद", "पहले", "अब", "तो", "जो", "जिस", "जिसमें", "कि", "लेकर",
    "इसे", "उसे", "इन्हें", "उन्हें", "जिसे", "इसकी", "इसका", "इसके", "उसकी", "उसका", "उसके", "उनकी", "उनका", "उनके",
    "इनकी", "इनका", "इनके", "जिसकी", "जिसका", "जिसके", "जिनकी", "जिनका", "जिनके",
    "साथ", "दौरान", "बारे", "अंतर्गत", "नाम", "वाली", "वाले", "वाला", "कर", "करने", "किया", "गया", "गई", "रहा",
    "रही", "रहे", "बताया", "कहा", "शुरू", "चल", "लागू", "पूरी", "सभी", "हर", "प्रदेश", "राज्य", "केंद्र",
    # more postpositions (नशा तस्करों के खिलाफ विशेष अभियान, योजना आयोग की ओर): the name starts after them
    "खिलाफ", "विरुद्ध", "बजाय", "बजाए", "अलावा", "अनुसार", "मुताबिक", "हेतु", "कारण", "वजह", "जरिए", "जरिये",
    "माध्यम", "अधीन", "बीच", "मध्य", "ओर", "तरफ", "पास", "समेत", "सहित", "अनुरूप", "बिना", "लिये", "बावजूद", "नामक",
    "संबंधी", "सम्बन्धी", "संबंधित",
    # conjunctions, particles and adverbs of time (उन्होंने … इसलिए जल जीवन मिशन, आज से शुरू अभियान)
    "लेकिन", "मगर", "परंतु", "परन्तु", "किंतु", "किन्तु", "क्योंकि", "चूंकि", "जबकि", "हालांकि", "यदि", "अगर", "तब",
    "जब", "फिर", "ताकि", "बल्कि", "इसलिए", "इसलिये", "अतः", "तदनुसार", "अर्थात", "यानी", "यानि", "तथापि",
    "वहीं", "वहां", "जहां", "यहां", "सिर्फ", "केवल", "मात्र", "लगभग", "करीब", "भर", "आज", "कल", "अभी", "फिलहाल",
    "लगातार", "अक्सर", "निश्चित", "हाल", "बार", "दिन", "तरह", "प्रकार", "लोग", "लोगों",
    # times of day (हर शाम सांस्कृतिक कार्यक्रम) and "resident of" (गांव … निवासी योजना शर्मा: a person from there)
    "सुबह", "शाम", "रात", "बजे", "निवासी", "निवासियों", "morning", "evening", "night", "resident", "residents",
    # the negation particle (उन्हें न यात्रा भत्ता मिलता है, न …)
    "न",
    # pronouns and determiners (ऐसी योजना, प्रत्येक योजना, हमारे टीकाकरण अभियान)
    "उन्होंने", "उसने", "इसने", "मैंने", "हमने", "आपने", "मैं", "हम", "हमारे", "हमारी", "हमारा", "मेरे", "मेरी",
    "मेरा", "आपके", "आपकी", "आपका", "तुम्हारे", "तुम्हारी", "तुम्हारा", "इसमें", "उसमें", "इसी", "उसी", "यही", "वही",
    "उतना", "उतनी", "उतने", "इतना", "इतनी", "इतने", "जितना", "जितनी", "जितने",
    "जिन्हें", "जिन्होंने", "ऐसी", "ऐसा", "ऐसे", "वैसी", "वैसा", "वैसे", "जैसी", "जैसा", "जैसे", "कौन", "कौनसी", "सी",
    "सा",
    "क्या", "कुछ", "अन्य", "अनेक", "प्रत्येक", "हरेक", "समस्त", "तमाम", "सारे", "सारी", "सारा", "समूचे", "समूची",
    "उक्त", "उपरोक्त",
    # quantities and ordinals (पांच करोड़ किसान क्रेडिट कार्ड, देश की पहली … योजना)
    "लाख", "करोड", "हजार", "मिलियन", "बिलियन", "अरब", "प्रतिशत", "फीसदी", "दर्जन", "पहला", "पहली", "दूसरा", "दूसरी",
    "दूसरे", "तीसरा", "तीसरी", "तीसरे",
    # verb forms and participles (शुरू किए गए जल जीवन मिशन, चलाया अभियान, आयोजित कार्यक्रम, ऑपरेशन जारी)
    "किए", "किये", "गए", "गये", "गयी", "दिया", "दिए", "दिये", "हुआ", "हुए", "हुई", "हुये", "होने", "होगा", "होगी",
    "होंगे", "होता", "होती", "होते", "रहेगा", "रहेगी", "रहेंगे", "चलाए", "चलाये", "चलाया", "चलाई", "चलायी",
    "चलाने", "चलाकर", "चलेगा", "चलेगी", "चलेंगे", "चलता", "चलती", "चलते", "करेंगे", "करेगा", "करेगी", "करें", "करे",
    "करना", "करते", "करती", "करता", "करके", "बनाने", "बनाया", "बनाई", "बनाए", "बनाकर", "जाएगा",
    "बनेंगे", "बनेगा", "बनेगी", "बनते", "बनती", "बनता", "बने", "बनी",
    # a camp or drive that is set up or held (लगे / लगाए गए … शिविर में)
    "लगाया", "लगाए", "लगाये", "लगाई", "लगायी", "लगाने", "लगाकर", "लगा", "लगे", "लगी", "लगने", "लगेगा", "लगेगी",
    "लगेंगे", "लगता", "लगती", "लगते",
    "जाएगी", "जाएंगे", "जाता", "जाती", "जाते", "सकता", "सकती", "सकते", "चाहिए", "आयोजित", "संचालित", "प्रायोजित",
    "प्रारंभ", "प्रारम्भ", "आरंभ", "आरम्भ", "शुरु", "स्थापित", "जारी", "घोषित", "प्रस्तावित", "प्रसारित", "समर्थित",
    "आहरित", "पोषित", "वित्तपोषित", "भेजकर", "जाकर", "देकर", "पाकर", "रखकर", "मिलकर",
    # a department, ministry, commission or post is who runs a programme (स्वच्छता विभाग जल जीवन मिशन), and an
    # office after मिशन is that office (मिशन निदेशक, Mission Director)
    "विभाग", "मंत्रालय", "आयोग", "निदेशक", "निदेशालय", "अधिकारी", "अधिकारियों", "कार्यालय",
    "department", "ministry", "commission", "director", "directorate", "officer", "officers", "office",
    # English and romanised (and English function words written in Devanagari: … ऑपरेशन ऑप्टिमाइजेशन एंड …)
    "एंड", "ऑफ", "ऑन", "फॉर",
    "the", "a", "an", "of", "for", "under", "in", "on", "and", "or", "to", "by", "with", "from", "this", "that",
    "its", "their", "his", "her", "new", "yeh", "ye", "is", "us", "ke", "ki", "ka", "ko", "mein", "se", "ne", "par",
    "aur", "tahat", "liye", "me", "mei", "wali", "wale", "state", "centre", "center", "government", "govt",
    "every", "each", "any", "some", "all", "other", "another", "such", "your", "my", "our", "these", "those",
    "which", "what", "when", "where", "because", "but", "as", "at", "was", "were", "are", "has", "have", "had", "next",
    "last",
    "will", "would", "can", "could", "not", "via", "about", "into", "than", "also", "only", "regarding",
    "various", "query", "queries",
    "sarkar",
    "ek", "koi", "kisi", "iss", "uss", "jo", "hai", "hain", "ho", "bhi", "woh", "wo", "sab", "sabhi", "har", "ab",
    "jab", "lekin", "aaj", "abhi", "sirf",
    # romanised pronouns and determiners (apni scheme, iski yojana)
    # words of address (Sir, mission ki zimmedari …; भाई, जी)
    "sir", "madam", "maam", "ji", "jee", "bhai", "sahab", "saheb", "सर", "मैडम", "जी", "भाई", "साहब",
    "apni", "apna", "apne", "meri", "mera", "mere", "hamari", "hamara", "hamare", "unki", "unka", "unke", "iski",
    "iska", "iske", "uski", "uska", "uske", "kya", "kuch", "kaun", "kaunsi", "yahi", "wahi", "vo", "yah",
)
# words that alone do not make a programme's name
_GENERIC = _folded(
    "नई", "नया", "नए", "नये", "नयी", "पुरानी", "पुराना", "बड़ी", "बड़ा", "बड़े", "विशेष", "खास", "सरकारी", "अहम",
    "महत्वाकांक्षी", "महत्वपूर्ण", "प्रमुख", "कोई", "सभी", "कई", "सफाई", "जागरूकता", "जनसंपर्क", "संपर्क", "चुनाव",
    "चुनावी", "प्रचार", "सदस्यता", "हस्ताक्षर", "विरोध", "आंदोलन", "बहिष्कार", "धरना", "महंगाई", "मकान", "किराया",
    "यात्रा", "दैनिक", "वेतन", "बोनस", "आवास", "बीमा", "ऋण", "राहत", "कल्याण", "स्वास्थ्य", "शिक्षा", "मेडिकल",
    "चिकित्सा", "जांच",
    "new", "old", "special", "big", "major", "flagship", "welfare", "election", "poll", "campaign", "membership",
    "signature", "protest", "dearness", "travel", "house", "rent", "daily", "bonus", "salary", "housing",
    "insurance", "loan", "relief", "health", "education", "medical", "state", "central", "government", "govt",
    # how big, good, new or whole a programme is (व्यापक योजना, सबसे बड़ा अभियान, अनूठा कार्यक्रम, पायलट परियोजना)
    "व्यापक", "विस्तृत", "अभिनव", "अनूठा", "अनूठी", "अनूठे", "अनोखा", "अनोखी", "अद्वितीय", "विशिष्ट", "सफल",
    "प्रगतिशील", "ऐतिहासिक", "समुचित", "स्पष्ट", "पूर्ववर्ती", "संशोधित", "पुनर्गठित", "मौजूदा", "वर्तमान",
    "दीर्घकालीन", "दीर्घकालिक", "एकीकृत", "समग्र", "साझा", "सम्मिलित", "संपूर्ण", "सम्पूर्ण", "अत्यंत", "बेहद",
    "बहुत", "सबसे", "छोटा", "छोटी", "छोटे", "आक्रामक", "तयशुदा", "सामान्य", "जरूरी", "आवश्यक", "प्रभावी",
    "लोकप्रिय", "कथित", "पायलट", "पायलेट", "प्रायोगिक", "पूरा", "पूरे", "अलग", "सहायक", "अतिरिक्त", "वरिष्ठ",
    "ambitious", "comprehensive", "detailed", "integrated", "innovative", "unique", "successful", "massive",
    "जबरदस्त", "शानदार", "बेहतरीन", "धमाकेदार", "बढ़िया", "सुपरहिट",
    "सक्रिय", "आच्छादन", "केंद्रीकृत", "केन्द्रीकृत", "विकेंद्रित", "विकेन्द्रित", "active", "umbrella",
    "centralised", "centralized",
    "huge", "important", "popular", "similar", "entire", "whole", "pilot", "assistant", "deputy", "additional",
    "senior", "junior",
    # the same adjectives romanised (Nayi scheme aayi hai?)
    "nayi", "naya", "naye", "nai", "nae", "nayee", "purani", "purana", "purane", "badi", "bada", "bade", "sarkari",
    "khas", "khaas", "vishesh", "achhi", "acchi", "achha", "accha", "acha", "sasti", "mehngi",
    # events and ceremonies named by what happens (सांस्कृतिक कार्यक्रम, शपथ ग्रहण कार्यक्रम, भूमि पूजन कार्यक्रम)
    "सांस्कृतिक", "रंगारंग", "स्वागत", "अभिनंदन", "शपथ", "ग्रहण", "श्रद्धांजलि", "उद्घाटन", "शिलान्यास", "समापन",
    "वार्षिक", "धार्मिक", "लोकार्पण", "भूमिपूजन", "भूमि", "पूजन", "प्रशिक्षण", "ट्रेनिंग", "फीडबैक", "आयोजन",
    "समारोह", "सम्मेलन", "बैठक", "जन्मदिन", "रेडियो", "टीवी", "लाइव",
    "बात", "बातचीत", "वार्ता", "भाषण", "संबोधन", "प्रसारण", "talk", "speech", "address", "broadcast",
    "cultural", "welcome", "oath", "swearing", "inaugural", "inauguration", "annual", "training", "feedback",
    "meeting", "birthday", "radio", "tv", "live",
    # a course of study (स्नातकोत्तर कार्यक्रम) and a business plan (व्यवसायिक योजना)
    "स्नातक", "स्नातकोत्तर", "डिग्री", "डिप्लोमा", "बीएड", "पीएचडी", "कोर्स", "degree", "diploma", "course",
    "व्यवसायिक", "व्यावसायिक", "कारोबारी",
)
# a hospital, school or college after Mission or Operation: a mission hospital, surgeries (ऑपरेशन … अस्पताल में)
_INSTITUTION = _folded("अस्पताल", "अस्पतालों", "चिकित्सालय", "hospital", "hospitals", "स्कूल", "school", "कॉलेज",
                       "college", "थियेटर", "क्लिनिक", "clinic")
# a state alone after Mission: an election goal (Mission Haryana, मिशन पंजाब), not a government programme
_STATE = _folded("हरियाणा", "haryana", "पंजाब", "punjab", "दिल्ली", "delhi", "राजस्थान", "rajasthan", "यूपी", "up",
                 "हिमाचल", "himachal", "उत्तराखंड", "uttarakhand", "गुजरात", "gujarat", "बिहार", "bihar")
# a programme word that also names an event (कार्यक्रम, programme), and the words that make it one wherever they
# stand in the name (शाम सांस्कृतिक कार्यक्रम, नियमित सांस्कृतिक कार्यक्रम); not स्वागत, which also names a
# programme (SWAGAT, Gujarat's online grievance programme: स्वागत ऑनलाइन कार्यक्रम)
_EVENT_CLOSING = _folded("कार्यक्रम", "karyakram", "programme", "program")
_EVENT = _folded("दिवस", "day", "जयंती", "वर्षगांठ", "anniversary", "पुण्यतिथि", "महोत्सव", "उत्सव", "festival",
                 "पुरस्कार", "award", "awards", "prize", "दीक्षांत", "convocation",
                 "सांस्कृतिक", "रंगारंग", "शपथ", "श्रद्धांजलि", "उद्घाटन", "शिलान्यास", "समापन",
                 "लोकार्पण", "भूमिपूजन", "समारोह", "जन्मदिन", "cultural", "oath", "swearing", "inaugural",
                 "inauguration", "birthday")
# how far a programme reaches: alone (राष्ट्रीय योजना, भारतीय मिशन) a reference, with a topic a name (राष्ट्रीय
# स्वास्थ्य मिशन)
_SCOPE = _folded("राष्ट्रीय", "national", "नेशनल", "नैशनल", "भारतीय", "indian", "इंडिया", "india", "भारत", "bharat",
                 "देशव्यापी", "देशव्यापि", "राष्ट्रव्यापी", "राज्यव्यापी", "प्रदेशव्यापी", "राज्यस्तरीय", "जिलास्तरीय", "वैश्विक",
                 "global", "ग्लोबल", "अंतरराष्ट्रीय", "अंतर्राष्ट्रीय", "international", "स्थानीय", "local", "राजकीय",
                 "mukhyamantri", "मुख्यमंत्री", "pradhan", "mantri", "प्रधानमंत्री", "cm", "pm", "सीएम", "पीएम",
                 # the home state alone (Haryana Scheme: सरकार ने किया ऐलान …) is a headline's reference
                 "हरियाणा", "haryana", "हरियाना", "hariyana")
_TOPIC = _folded("सफाई", "जागरूकता", "आवास", "बीमा", "ऋण", "राहत", "कल्याण", "स्वास्थ्य", "शिक्षा", "मेडिकल",
                 "चिकित्सा", "welfare", "housing", "insurance", "loan", "relief", "health", "education", "medical")
# employees' pay allowances (rule 5): with भत्ता they name pay, not a welfare allowance (जोखिम भत्ता, वर्दी भत्ता)
_PAY = _folded("जोखिम", "वर्दी", "परिवहन", "वाहन", "मोबाइल", "टेलीफोन", "ड्यूटी", "ओवरटाइम", "प्रतिनियुक्ति",
               "धुलाई", "पोशाक", "राशन", "हार्डशिप", "कठिनाई", "रात्रि", "नाइट", "प्रतिकर", "सत्कार", "किट",
               "risk", "uniform", "transport", "conveyance", "washing", "overtime", "deputation", "night",
               "hardship", "duty", "kit", "compensatory", "leave", "city", "hra", "da", "ta", "lta", "cca",
               "children", "field",
               # a scheme worker's incentive or honorarium, and arrears of any pay (आशा वर्कर्स का प्रोत्साहन भत्ता,
               # बकाया महंगाई भत्ता)
               "प्रोत्साहन", "incentive", "मानदेय", "honorarium", "बकाया", "arrears", "arrear")
# a manner of working: after a programme word it gives the programme word that sense (मिशन मोड में, in Mission
# Mode); inside a name it adds nothing (ई-पंचायत मिशन मोड परियोजना is named by ई-पंचायत)
_MANNER = _folded("मोड", "mode")
# योजना followed by one of these is a plan being drawn up (विभाजन योजना तैयार की, योजना बनाने), not a programme
_PLAN_MAKING = _folded("बनाने", "बनाना", "बनाई", "बनायी", "बनाया", "बना", "बनाकर", "बनाते", "बनाती", "तैयार",
                       "निर्माण")
# योजना followed by one of these is a building, colony or planning body named योजना (योजना भवन, योजना विहार,
# योजना आयोग), not a programme
_PLANNING_BODY = _folded("भवन", "bhawan", "bhavan", "विहार", "vihar", "नगर", "कॉलोनी", "colony", "आयोग", "बोर्ड",
                         "board", "commission")
# योजना after one of these is an action plan (ग्राम कार्य योजना, rule 2)
_PLAN_KIND = _folded("कार्य", "एक्शन")
# a determiner, possessive or participle before Mission / मिशन makes it a common noun (यह मिशन …, हमारे मिशन
# विदेशों में …, आरंभ किया गया मिशन …): it opens no name
_COMMON_BEFORE = _folded("यह", "वह", "ये", "वे", "इस", "उस", "इन", "उन", "इसी", "उसी", "हमारे", "हमारा", "हमारी",
                         "अपने", "अपना", "अपनी", "मेरा", "मेरे", "मेरी", "एक", "गया", "गई", "गए", "गये", "किया",
                         "this", "a", "an", "our")
# the programme words of a campaign or drive
_CAMPAIGN = _folded("abhiyan", "अभियान", "mission", "मिशन", "shivir", "शिविर", "campaign", "drive", "camp")
# a drive named by its activity (police, municipal, court-ordered enforcement, military) is routine work or a
# one-off operation, not a programme
_DRIVE = _folded("abhiyan", "अभियान", "campaign", "drive")
# a department's drive named only by what it does (टीकाकरण अभियान, घर-घर नामांकन अभियान, rule 3): with a name
# word of its own it is a programme (मिशन इंद्रधनुष टीकाकरण अभियान, पल्स पोलियो टीकाकरण अभियान)
_ACTIVITY = _folded("टीकाकरण", "vaccination", "immunisation", "immunization", "नामांकन", "दाखिला", "enrolment",
                    "enrollment", "admission", "पंजीकरण", "रजिस्ट्रेशन", "registration", "सर्वे", "सर्वेक्षण",
                    "survey", "पौधारोपण", "वृक्षारोपण", "plantation", "घर-घर", "door-to-door", "डोर-टू-डोर",
                    "जनसंपर्क", "संपर्क", "outreach", "स्क्रीनिंग", "screening", "छिड़काव", "फॉगिंग", "fogging",
                    "दवा", "वितरण", "distribution",
                    # a rescue (पुलिस और गोताखोरों ने बचाव अभियान शुरू किया)
                    "बचाव", "रेस्क्यू", "rescue", "खोज", "तलाश",
                    # an expedition (पर्वतारोहण अभियान)
                    "पर्वतारोहण", "mountaineering", "ट्रेकिंग", "trekking", "expedition")
_DRIVE_ACTIVITY = _folded("चेकिंग", "checking", "धरपकड़", "सीलिंग", "sealing", "अतिक्रमण", "encroachment", "हटाओ",
                          "तोड़फोड़", "demolition", "छापेमारी", "raid", "ध्वस्तीकरण", "नाकाबंदी", "तलाशी", "search", "चालान",
                          "challan", "गिरफ्तारी", "सत्यापन", "verification", "सघन",
                          "सैन्य", "सैनिक", "military", "आतंकरोधी", "आतंकवाद", "आतंकवादी", "उग्रवादी",
                          # a party's organisation drive (rule 4: संगठन सृजन अभियान, बूथ सशक्तिकरण अभियान)
                          "संगठन", "सांगठनिक", "बूथ", "organisation", "organization", "booth",
                          # and its membership drive (rule 4: सदस्यता अभियान, whoever it is named after)
                          "सदस्यता", "membership",
                          # a revision of rolls or lists (मतदाता सूची पुनरीक्षण अभियान)
                          "पुनरीक्षण", "revision")
# a military word in its sentence makes an Operation a military one (rule 3: Operation Sindoor), not a programme
_MILITARY = _folded("army", "armed", "military", "soldiers", "troops", "navy", "airstrike", "airstrikes", "terror",
                    "terrorist", "terrorists", "terrorism", "militant", "militants", "सेना", "सेनाओं", "सैन्य",
                    "सैनिक", "सैनिकों", "फौज", "वायुसेना", "नौसेना", "थलसेना", "आतंकी", "आतंकियों", "आतंकवादी",
                    "आतंकवादियों", "आतंकवाद", "उग्रवादी", "उग्रवादियों", "एयरस्ट्राइक", "सर्जिकल",
                    # a war and its dead (‘ऑपरेशन विजय’ के 27 साल … शहीदों के परिजन, Kargil war)
                    "war", "martyr", "martyrs", "martyred", "kargil", "युद्ध", "शहीद", "शहीदों", "शहादत", "कारगिल",
                    # an evacuation from abroad is a one-off operation (Operation Ganga from Ukraine)
                    "evacuation", "evacuated", "evacuate", "evacuees", "airlift", "airlifted", "stranded", "एयरलिफ्ट",
                    "निकासी", "फंसे", "ukraine", "sudan", "यूक्रेन", "सूडान")
# a works project named by what it builds (rule 5: मेट्रो परियोजना, सड़क परियोजना, Gurgaon Metro Project)
_WORKS = _folded("मेट्रो", "metro", "सड़क", "road", "रोड", "रेल", "rail", "रेलवे", "railway", "पुल", "bridge",
                 "फ्लाईओवर", "flyover", "हाईवे", "highway", "एक्सप्रेसवे", "expressway", "राजमार्ग", "बाईपास", "bypass",
                 "कॉरिडोर", "corridor", "बांध", "dam", "नहर", "canal", "हवाई", "अड्डा", "airport", "एयरपोर्ट", "लिंक",
                 "link", "पाइपलाइन", "pipeline", "सुरंग", "टनल", "tunnel", "भवन", "building", "प्लांट", "plant",
                 "सीवर", "sewer", "sewerage", "जलविद्युत", "hydel", "hydro", "पुनर्विकास", "redevelopment", "नदी",
                 "river")
# a political party named just before a campaign: the party's campaign, not a government programme
_PARTY = _folded("भाजपा", "बीजेपी", "कांग्रेस", "इनेलो", "जजपा", "बसपा", "सपा", "पार्टी", "पार्टियों",
                 "bjp", "congress", "inld", "jjp", "bsp", "party", "parties")
_PARTY_CAPITALS = frozenset({"AAP"})  # written so only as the party: aap, आप are also "you"
# a business, club, society or place of worship named just before any programme word: its offer, product or
# camp, not a government programme
_BUSINESS = _folded("बैंक", "bank", "banks", "sbi", "hdfc", "icici", "lic", "कंपनी", "company", "दुकान", "दुकानों",
                    "दुकानदार", "shop", "shops", "store", "stores", "mall", "मॉल", "बिल्डर", "builder", "ज्वेलर्स",
                    "jewellers", "jeweller", "कोचिंग", "coaching", "insurer", "क्लब",
                    # banks, insurers and jewellers as Hindi writes them (एलआईसी, एक ज्वैलर की …)
                    "बैंकों", "एसबीआई", "एचडीएफसी", "आईसीआईसीआई", "एलआईसी", "इंश्योरेंस", "insurance", "ज्वैलर",
                    "ज्वैलर्स", "ज्वेलर", "ज्वैलरी", "ज्वेलरी", "jeweler", "jewelers", "jewellery", "सर्राफ",
                    "सर्राफा", "सुनार", "फाइनेंस", "finance", "कारोबारी", "व्यापारी", "trader", "merchant", "डीलर",
                    "dealer",
                    "club", "ट्रस्ट", "trust", "सोसायटी", "सोसाइटी", "society", "संस्था", "संस्थाओं", "एनजीओ", "ngo",
                    "फाउंडेशन", "foundation", "मंदिर", "temple", "गुरुद्वारा", "gurdwara", "मस्जिद", "mosque",
                    "चर्च", "church", "आश्रम", "ashram",
                    "सुपरमार्केट", "supermarket", "टेलीकॉम", "telecom", "फर्म", "firm", "शोरूम", "showroom",
                    # religious bodies that hold camps and run missions of their own (संत निरंकारी मिशन, डेरा)
                    "निरंकारी", "nirankari", "डेरा", "dera", "सत्संग", "satsang")
# a business's agent or employee acts for it: बीमा कंपनी के एजेंट ने …, बैंक अधिकारी ने बताया कि हमारी … स्कीम
_STAFF = _folded("एजेंट", "agent", "agents", "प्रबंधक", "मैनेजर", "manager", "कर्मचारी", "employee", "employees",
                 "अधिकारी", "officer", "official", "कर्मी", "प्रतिनिधि", "representative")
# a body that takes its kind from the word before it (गुरुद्वारा कमेटी, कोचिंग संस्थान, a private academy)
_UNIT = _folded("कमेटी", "committee", "संस्थान", "institute", "academy", "अकादमी", "एकेडमी",
                # a party's or body's local unit or wing (भाजपा जिला इकाई ने …, युवा मोर्चा, the bank's branch)
                "इकाई", "unit", "wing", "मोर्चा", "morcha", "प्रकोष्ठ", "cell", "शाखा", "branch")
_PRIVATE = _folded("private", "निजी", "प्राइवेट")
# participles between an organiser and the name it holds (… की ओर से लगाए गए … शिविर)
_HELD = _folded("लगाए", "लगाये", "लगाया", "लगाई", "गए", "गये", "गया", "गई", "आयोजित", "संचालित", "चलाए", "चलाये",
                "चलाया", "चलाई", "जा", "रहे", "रही", "रहा", "किए", "किये", "किया", "शुरू", "प्रायोजित")
_BY = _folded("द्वारा", "dwara")
_AND = _folded("और", "तथा", "एवं", "व", "and", "aur")
_SIDE = _folded("ओर", "तरफ")  # की ओर से: on behalf of
_FROM = _folded("से", "se")
# "<name> … run by <actor>": an English verb of running before by
_RUN_BY = _folded("run", "organised", "organized", "held", "conducted", "launched", "offered", "operated",
                  "sponsored", "managed", "floated", "promoted", "advertised")
# a possessive before a name in a reported clause: the speaker's own (शाखा प्रबंधक ने बताया कि हमारी … स्कीम)
_SPEAKER_OWN = _folded("उनकी", "उनके", "उनका", "हमारी", "हमारे", "हमारा", "our", "their")
# a selling verb after the name: the business's product (एजेंट ने … योजना की पॉलिसी बेची)
_SOLD = _folded("sold", "sell", "sells", "selling", "बिक्री", "बेचा", "बेची", "बेचीं", "बेचे", "बेचें", "बेचना", "बेचने",
                "बेचता", "बेचती", "बेचते", "बेचकर", "बेचेगा", "बेचेगी", "बेचेंगे")
_ACTOR_WINDOW = 10
"""Words before a name, within its clause, searched for a party or business that runs it (रोटरी क्लब ने पुराने बस अड्डे
के पास वाले पार्क में … शिविर लगाया: a place between them)."""
_RESERVE = _folded("रिजर्व", "reserve")  # रिजर्व बैंक, Reserve Bank: the central bank, a government regulator
_GENITIVE = _folded("की", "का", "के", "ki", "ka", "ke")
_ERGATIVE = _folded("ने", "ne")
# a reported clause: भाजपा ने कहा कि … अभियान सफल रहा — the party does not run it. Matched on the written word:
# कि and the genitive की fold to one key
_THAT = frozenset({"कि", "that", "That"})
_OWN = _folded("its", "their", "अपना", "अपने", "अपनी", "apna", "apne", "apni")
# after a name, these make it something other than the direct object of the verb of an ergative subject (कांग्रेस ने
# … अभियान की आलोचना की: the party speaks of the campaign, it does not run it)
_POSTPOSITION = _folded("की", "का", "के", "को", "पर", "से", "में", "ki", "ka", "ke", "ko", "par", "se", "mein")
# "<name> नाम का कोर्स": the name is the course's (or film's, app's …) unless that noun is a programme word
_NAMED = _folded("नाम", "naam")
_NAMED_OF = _folded("का", "की", "के", "से", "ka", "ki", "ke", "se")
# "<name> नाम की कोई योजना नहीं है", "<name> फर्जी है": a fact check says no such programme exists
_NONE = _folded("कोई", "koi", "no")
_NEGATION = _folded("नहीं", "नही", "nahi", "nahin", "not", "न")
_FAKE = _folded("फर्जी", "fake", "नकली", "bogus", "hoax")
_COPULA = _folded("है", "हैं", "hai", "hain", "is", "was", "था", "थी")
# kinship words and titles before निधि: a woman's name (बेटी निधि, डॉ. निधि), not a fund
_PERSON_BEFORE = _folded("बेटी", "बिटिया", "पुत्री", "बहन", "पत्नी", "भाभी", "मां", "छात्रा", "खिलाड़ी", "शिक्षिका",
                         "श्रीमती", "सुश्री", "कुमारी", "डॉ", "daughter", "sister", "wife", "dr", "ms", "mrs", "miss")
# family names and a woman's second names after योजना: a woman called योजना (योजना शर्मा, Yojana Devi)
_SURNAME = _folded("शर्मा", "वर्मा", "सिंह", "देवी", "कुमारी", "रानी", "कौर", "यादव", "गुप्ता", "जैन", "चौधरी", "मलिक",
                   "सैनी", "अग्रवाल", "बंसल", "गोयल", "मित्तल", "गर्ग", "राठी", "दहिया", "हुड्डा", "सांगवान", "जाखड़",
                   "पूनिया", "ग्रेवाल", "शेखावत", "राठौर", "चौहान", "ठाकुर", "पांडे", "पांडेय", "मिश्रा", "तिवारी",
                   "sharma", "verma", "singh", "devi", "kumari", "rani", "kaur", "yadav", "gupta", "jain", "chaudhary",
                   "malik", "saini", "aggarwal", "bansal", "goyal", "mittal", "garg", "rathi", "dahiya", "hooda")
# the kind of card just before कार्ड / card: an identity or everyday document, a bank's card, or a card "played"
# in politics (मुस्लिम कार्ड, victim card), not a programme
_DOCUMENT_CARD = _folded("राशन", "आधार", "पैन", "वोटर", "मतदाता", "ड्राइविंग", "एटीएम", "क्रेडिट", "डेबिट", "सिम",
                         "पहचान", "जॉब", "शादी", "निमंत्रण", "ration", "aadhaar", "aadhar", "pan", "voter",
                         "driving", "atm", "credit", "debit", "sim", "identity", "id", "job", "yellow", "red",
                         "green", "report", "score", "visiting", "business", "wedding", "gift", "admit", "boarding",
                         "आईडी", "आइडी", "गोल्डन", "golden", "प्रॉपर्टी", "प्रोपर्टी", "रिपोर्ट", "विजिटिंग", "गिफ्ट",
                         "एडमिट", "ऐडमिट",
                         "बोर्डिंग", "मेट्रो", "metro", "लाइब्रेरी",
                         "library", "ग्रीन", "येलो", "रेड", "स्मार्ट", "समार्ट", "smart", "ग्रीटिंग", "greeting",
                         "पोस्ट", "post", "रूपे", "rupay", "संपत्ति", "property", "udid", "यूडीआईडी",
                         # a record issued at a hospital or office counter, a membership or store card
                         "ओपीडी", "opd", "पर्ची", "रजिस्ट्रेशन", "registration", "पंजीकरण", "अपॉइंटमेंट",
                         "appointment", "डिस्चार्ज", "discharge", "टोकन", "token", "एंट्री", "entry", "प्रवेश",
                         "रेफरल", "referral", "मेंबरशिप", "membership", "लॉयल्टी", "loyalty", "वारंटी", "warranty",
                         "विक्टिम", "victim", "मुस्लिम", "muslim", "हिंदू", "हिन्दू", "hindu", "दलित", "dalit",
                         "जाति", "caste", "धर्म", "religion", "इमोशनल", "emotional")
# commercial, sporting or fraudulent schemes and missions that are no government programme
_NOT_PROGRAMME = _folded("ponzi", "pyramid", "chit", "fraud", "investment", "colour", "color", "naming", "marking",
                         "rating", "admission", "impossible", "पोंजी", "चिटफंड", "ठगी", "फर्जी", "एडमिशन",
                         # the same in Devanagari (बोर्ड की मार्किंग स्कीम)
                         "पोंज़ी", "पिरामिड", "इन्वेस्टमेंट", "कलर", "मार्किंग", "रेटिंग",
                         # money-doubling frauds (डबल मनी स्कीम, paisa double scheme)
                         "डबल", "double", "दोगुना", "दुगना", "doubling",
                         # a religious body's own mission (संत निरंकारी मिशन)
                         "निरंकारी", "nirankari",
                         "रामकृष्ण", "ramakrishna", "चिन्मय", "chinmaya",
                         # a seller's payment plan and lucky draw (जीरो डाउन पेमेंट स्कीम)
                         "पेमेंट", "payment", "ईएमआई", "emi", "लकी", "lucky",
                         # a pilgrims' rest camp (कांवड़ विश्राम शिविर)
                         "कांवड़", "कांवड", "kanwar", "kawad", "भंडारा",
                         # a shop's exchange offer, a bank's fixed deposit (सुपर सेवर एफडी स्कीम)
                         "एक्सचेंज", "exchange", "एफडी", "fd", "सेवर", "saver",
                         # a coaching batch: Mission IIT, Mission NEET
                         "iit", "neet", "jee", "upsc", "नीट", "जेईई", "आईआईटी", "यूपीएससी", "batch", "बैच",
                         # a seller's offer (फ्लैट बुकिंग स्कीम, cashback offer card)
                         "बुकिंग", "booking", "ऑफर", "offer", "कैशबैक", "cashback", "डिस्काउंट", "discount",
                         # a surgery: ऑपरेशन थिएटर
                         "थिएटर", "थियेटर", "theatre", "theater",
                         # a country's weapons programme (उत्तर कोरिया का परमाणु हथियार कार्यक्रम)
                         "परमाणु", "nuclear", "हथियार", "weapons", "weapon", "मिसाइल", "missile")
# a course or batch named by a Mission before it (a coaching centre's Mission Selection batch)
_COURSE = _folded("batch", "batches", "बैच", "course", "कोर्स", "classes", "क्लासेज", "कोचिंग", "coaching")
# a work with a title (फिल्म मिशन मंगल, the film Mission Mangal): its title is no programme
_WORK = _folded("फिल्म", "film", "movie", "मूवी", "किताब", "पुस्तक", "book", "गाना", "गीत", "song", "सीरियल",
                "serial", "धारावाहिक", "शो", "show")
# a film's release or screening in the sentence of a quoted or Mission / Operation name: the name is its title
_SCREEN = _folded("film", "films", "movie", "फिल्म", "फ़िल्म", "मूवी", "trailer", "ट्रेलर", "teaser", "टीजर", "टीज़र",
                  "सिनेमा", "cinema", "cinemas", "सिनेमाघर", "सिनेमाघरों", "बॉक्स",
                  "box-office", "ओटीटी", "ott", "netflix", "नेटफ्लिक्स")
_NO_NAME = _GENERIC | _SCOPE | _MANNER
"""Name words that alone (without a topic after a scope word) make no programme's name."""
_CHIEF_MINISTER = _folded("मुख्यमंत्री", "सीएम", "cm", "mukhyamantri")
_HOME_STATE = _folded("हरियाणा", "haryana", "हरियाना", "hariyana")
_PRIME_MINISTER = _folded("प्रधानमंत्री", "पीएम", "pm", "pradhanmantri")


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str
    after_break: bool  # punctuation or a line break between this token and the one before
    tag: bool  # a hashtag or a handle (#Modi, @AAP): a topic or an address, never a word of a name
    marks: str  # the quote marks when the break before this token is only quote marks (सर्राफ की 'गोल्ड … स्कीम')

    @property
    def quoted(self) -> bool:
        """The break before this token is only quote marks ('X Yojana' नाम की, ‘अर्न वाइल लर्न’ योजना)."""
        return bool(self.marks)


def candidate_slug(name: str) -> str:
    """The stable slug of a programme name: its folded words joined by ``-`` (``KALIA Yojana`` → ``kalia-yojana``)."""
    return "-".join(fold(name).split())


class SchemeCandidateFinder:
    """Finds programme names outside the catalogue of ``catalogue`` (a ``SchemeTagger``)."""

    def __init__(self, catalogue: SchemeTagger) -> None:
        self.catalogue = catalogue
        # names and aliases only: a keyword hint (बेरोजगारी भत्ता for Saksham Yuva) does not name the scheme
        self._names = {fold(n): s.id for s in catalogue.schemes.values() for n in s.all_names()}
        for key, ids in catalogue.shared_names().items():  # PM Awas Yojana: rural or urban, a catalogue name
            self._names.setdefault(key, ids[0])
        # the words of each scheme's names, without programme words and titles: a candidate made only of a tagged
        # scheme's words (Haryana Dayalu Yojana, जन आरोग्य योजना beside आयुष्मान भारत) is that scheme
        self._name_words = {s.id: frozenset(w for n in s.all_names() for w in fold(n).split()) - _PROGRAMME_WORDS
                            for s in catalogue.schemes.values()}
        # how many schemes' names hold a word: one word alone says which scheme only when it is its own (दयालु,
        # not रोजगार: प्रधानमंत्री रोजगार योजना is another programme than PMEGP's रोजगार सृजन कार्यक्रम)
        self._word_schemes = Counter(w for words in self._name_words.values() for w in words)

    def find(self, text: str, title: str | None = None,
             catalogue_tags: list[SchemeTag] | None = None) -> list[SchemeCandidate]:
        """Candidates in a mention's title and text, first in text order, one per slug with all its spans;
        ``catalogue_tags`` are the mention's catalogue schemes (found here when not given)."""
        if not _may_name_programme(text, title):
            return []
        if catalogue_tags is None:
            catalogue_tags = self.catalogue.tag(text, title)
        taken = [(e.field, e.start, e.end) for tag in catalogue_tags for e in tag.evidence]
        found: dict[str, SchemeCandidate] = {}
        for field_name, value in (("title", title), ("text", text)):
            if not value:
                continue
            for start, end in self._spans(value):
                name = value[start:end]
                if (self.in_catalogue(name) and not self._another_states(name, value[:start])) \
                        or self._ends_in_catalogue(name) or self._of_tagged_scheme(name, catalogue_tags) \
                        or any(f == field_name and ((s <= start and end <= e) or s < start < e) for f, s, e in taken):
                    continue  # a catalogue name, inside one or running on from one (मेरी विरासत फसल … योजना)
                slug = candidate_slug(name)
                evidence = Evidence(field=field_name, start=start, end=end, text=name)
                if slug in found:
                    found[slug].evidence.append(evidence)
                else:
                    found[slug] = SchemeCandidate(name=name, slug=slug, evidence=[evidence])
        return list(found.values())

    def _spans(self, value: str) -> list[tuple[int, int]]:
        keys = list(map(_fold_token, _TOKEN.findall(value)))
        programme_words = [i for i, key in enumerate(keys) if key in _PROGRAMME_WORDS]
        if not programme_words:  # most texts: no token objects at all
            return []
        matches = list(_TOKEN.finditer(value))
        spans: list[tuple[int, int]] = []
        for i in programme_words:
            # the words a name can take around its programme word, and the clause before it that may say who
            # runs it: tokens are made for these only
            low = max(0, i - MAX_NAME_WORDS - 1 - _ACTOR_WINDOW)
            tokens = [_token(value, matches, keys, j) for j in range(low, min(len(keys), i + _AFTER))]
            at = i - low
            if _other_sense(tokens, at):
                continue
            if keys[i] in _CLOSING:
                first = _name_start(tokens, at)
                if first is not None and _is_programme(keys[i], tokens[first:at]) \
                        and not _context_rejects(value, matches, keys, tokens, low, first, at, keys[i]):
                    start = tokens[first].start
                    if tokens[at].marks:  # ‘अर्न वाइल लर्न’ योजना: the name with its quote marks
                        mark = start - 1
                        while mark > 0 and value[mark] == " ":
                            mark -= 1
                        start = mark if value[mark] in _OPEN_QUOTES else start
                    spans.append((start, tokens[at].end))
            if keys[i] in _OPENING and _opens_phrase(tokens, at):
                last = _name_end(tokens, at)
                if last is not None and _is_programme(keys[i], tokens[at + 1:last + 1]) \
                        and not _context_rejects(value, matches, keys, tokens, low, at, last, keys[i]) \
                        and not (keys[i] in _OPERATION and _sentence_has(value, matches, keys, i, _MILITARY)):
                    spans.append((tokens[at].start, tokens[last].end))
        # a name inside a longer one (ई-पंचायत मिशन in ई-पंचायत मिशन मोड परियोजना) is the longer one's
        return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]

    def in_catalogue(self, name: str) -> bool:
        """The name is a catalogue scheme's, alone or after the title of the government that runs it."""
        if self._lookup(fold(name)):
            return True
        words = fold(name).split(maxsplit=1)
        if len(words) < 2:
            return False
        level = "haryana" if words[0] in _CHIEF_MINISTER else "central" if words[0] in _PRIME_MINISTER else None
        found = self._lookup(words[1]) if level else None
        return bool(found) and self.catalogue.schemes[found].level == level

    def _another_states(self, name: str, before: str) -> bool:
        """A Haryana scheme's name after another state's possessive (मध्य प्रदेश की मुख्यमंत्री तीर्थ दर्शन योजना,
        Delhi's Mukhyamantri Tirth Yatra Yojana): that state's programme, a candidate (rule 6)."""
        key = fold(name)
        found = self._lookup(key) or self._lookup(key.split(maxsplit=1)[-1])
        return bool(found) and self.catalogue.schemes[found].level == "haryana" and another_state_before(before)

    def _of_tagged_scheme(self, name: str, tags: list[SchemeTag]) -> bool:
        """The name's own words (without programme words, scope words, titles and the state's name; one word only
        when no other scheme's names hold it) are all words of a catalogue scheme the mention names (PM Awas
        Yojana, Haryana Dayalu Yojana, प्रधानमंत्री जन आरोग्य योजना beside आयुष्मान भारत): another way of writing
        that scheme. A chief minister's title before a
        central scheme's words (मुख्यमंत्री किसान सम्मान निधि योजना) is a state's programme of its own (rule 6)."""
        words = fold(name).split()
        own = {w for w in words if w not in _PROGRAMME_WORDS and w not in _SCOPE and w not in _HOME_STATE
               and not w.isdigit()}
        if not own or (len(own) == 1 and self._word_schemes[next(iter(own))] > 1):
            return False
        for tag in tags:
            scheme = self.catalogue.schemes.get(tag.id)
            if scheme is None or not own <= self._name_words[tag.id]:
                continue
            chief = any(w in _CHIEF_MINISTER for w in words)
            prime = any(w in _PRIME_MINISTER for w in words)
            if (chief and scheme.level != "haryana") or (prime and scheme.level != "central"):
                continue
            return True
        return False

    def _ends_in_catalogue(self, name: str) -> bool:
        """The name is a catalogue scheme's with words run into it from the sentence (निगरानी जल जीवन मिशन, आधारित
        प्रधानमंत्री कृषि सिंचाई योजना) or with scope and generic words before it (राष्ट्रीय पोषण अभियान): a catalogue
        name of three or more words after at most two others, or of two after generic words only. A government's
        title before it makes another government's programme (मुख्यमंत्री शहरी निकाय स्वामित्व योजना, rule 6), and
        three or more words before it a programme of its own (सामाजिक समरसता अंतरजातीय विवाह शगुन योजना)."""
        words = fold(name).split()
        for k in range(1, len(words) - 1):
            if not self._lookup(" ".join(words[k:])):
                continue
            before = words[:k]
            if any(w in _CHIEF_MINISTER or w in _PRIME_MINISTER for w in before):
                return False
            return (len(words) - k >= 3 and k <= 2) or all(w in _NO_NAME for w in before)
        return False

    def _lookup(self, key: str) -> str | None:
        """The catalogue id of a folded name, with or without its closing programme word."""
        words = key.split()
        bare = " ".join(words[:-1]) if len(words) > 1 and words[-1] in _CLOSING else key
        return self._names.get(key) or self._names.get(bare) or self._names.get(f"{bare} {fold('योजना')}") \
            or self._names.get(f"{bare} yojana")


def _may_name_programme(text: str, title: str | None) -> bool:
    """False when no token of the title or text can fold to a programme word: none of them is even a part of
    the fold of the whole mention, which the other rule taggers have already made (``folded_text``). A token's
    fold is a part of its text's fold, as every folding rule reads within a token or a run of non-word
    characters. Most mentions stop here, before a fold of each of their tokens."""
    folded = folded_text(f"{title}\n{text}" if title else text).text
    return next(iter_matches(_ANY_PROGRAMME_WORD, folded), None) is not None


_ANY_PROGRAMME_WORD = ahocorasick.Automaton()
for _word in _PROGRAMME_WORDS:
    _ANY_PROGRAMME_WORD.add_word(_word, _word)
_ANY_PROGRAMME_WORD.make_automaton()


@lru_cache(maxsize=1 << 16)
def _fold_token(word: str) -> str:
    """``fold`` of one token, cached: the words of news prose repeat, and a fold per token per mention was this
    tagger's main cost."""
    return fold(word)


def _token(value: str, matches: list[re.Match[str]], keys: list[str], j: int) -> _Token:
    """Token ``j`` of a text from its word matches and folded keys."""
    match = matches[j]
    start = match.start()
    if j == 0:
        after_break, quotes = True, ""
    else:
        gap = value[matches[j - 1].end():start]
        marks = gap.strip()
        after_break = bool(marks) or "\n" in gap
        quotes = marks.replace(" ", "") if marks and "\n" not in gap and not marks.strip(_QUOTES) else ""
    return _Token(start, match.end(), match.group(), keys[j], after_break, start > 0 and value[start - 1] in "#@",
                  quotes)


_QUOTES = "'\"‘’“” "
_OPEN_QUOTES = frozenset("'\"‘“")
_CLOSE_QUOTES = frozenset("'\"’”")
_OBLIQUE_PLURAL = ("ों", "ओं")
"""Endings of an oblique plural noun (अपराधियों, किसानों, महिलाओं): after a name an opening word begins, such a
noun is the sentence's (ऑपरेशन आरोहण बच्चियों को …), not a word of the name."""


def _is_name_word(token: _Token, lower: bool = False) -> bool:
    """Whether ``token`` may be a word of a name; a lower-case Latin word only when ``lower``."""
    if token.key in _STOP or token.tag or not token.key or any(ch.isdigit() for ch in token.text):
        return False
    if "'" in token.text or "’" in token.text:  # a possessive: Haryana's, centre's
        return False
    return lower or not _lower_latin(token)


def _after_capitalised_name(tokens: list[_Token], close: int) -> bool:
    """Whether two capitalised Latin name words stand right before the word at ``close`` (Amrit Bharat Station
    yojana): they name what a lower-case yojana after them is. Lower-case romanised names (chiranjeevi yojna) are
    not read: in unlabelled posts nearly all such runs are phrases (sari yojna, koi upai yojna)."""
    if close < 2 or tokens[close].after_break or tokens[close - 1].after_break:
        return False
    return all(t.text[0].isascii() and t.text[0].isupper() and _is_name_word(t) for t in tokens[close - 2:close])


def _acronym(token: _Token) -> bool:
    """An acronym in Latin capitals (OTS, BPL): it names what a lower-case yojana after it is."""
    return len(token.text) > 1 and token.text.isascii() and token.text.isalpha() and token.text.isupper()


def _lower_latin(token: _Token) -> bool:
    return token.text[0].isascii() and not token.text[0].isupper()


def _name_start(tokens: list[_Token], close: int) -> int | None:
    """Index of the first name word before the closing word at ``close``; None when there is none."""
    closing = tokens[close]
    if closing.text[0].isascii() and closing.key not in _ENGLISH_CLOSING and not closing.text[0].isupper() \
            and not (close > 0 and not closing.after_break and _acronym(tokens[close - 1])) \
            and not _after_capitalised_name(tokens, close):
        return None  # a romanised programme word is written as part of a name: Yojana, Abhiyan (but OTS yojana,
        # Amrit Bharat Station yojana)
    if closing.key in _NIDHI and close + 1 < len(tokens) and not tokens[close + 1].after_break \
            and tokens[close + 1].key not in _STOP and tokens[close + 1].key not in _CLOSING:
        return None  # निधि शर्मा: a person's name
    if closing.key in _NIDHI and close > 0 and tokens[close - 1].key in _PERSON_BEFORE:
        return None  # बेटी निधि, डॉ. निधि: a woman's name
    if closing.key in _YOJANA and close + 1 < len(tokens) and not tokens[close + 1].after_break \
            and tokens[close + 1].key in _SURNAME:
        return None  # सरपंच योजना देवी, Yojana Sharma: a woman's name
    if closing.key in _CAMP and close > 0 and not closing.after_break and tokens[close - 1].key in _CLOSING:
        return None  # Vridh Pension scheme camp: a camp of the programme the word before closes
    if closing.marks and close > 0 and set(closing.marks) <= _CLOSE_QUOTES and _is_name_word(tokens[close - 1]):
        return _quoted_name_start(tokens, close)
    # a lower-case English programme word may close a name written in sentence case (Water Bill settlement
    # camp): its lower-case words count when a capitalised word inside the sentence opens it
    lower = _lower_latin(closing) and closing.key in _ENGLISH_CLOSING
    first = close
    while first > 0 and close - first < MAX_NAME_WORDS and not tokens[first].after_break \
            and _is_name_word(tokens[first - 1], lower):
        first -= 1
    if lower:
        while first < close and _lower_latin(tokens[first]):
            first += 1
        lower_words = sum(map(_lower_latin, tokens[first:close]))
        if lower_words > _LOWER_WORDS or (lower_words and (tokens[first].after_break or tokens[first].start == 0)):
            return None  # Bahut accha program: a sentence's capital, not a name's
    if closing.key in _ENGLISH_CAMP and close - first < 2:
        return None  # the Dharamshala camp: a place or a team's camp
    while first < close and tokens[first].key in _NOT_FIRST:
        first += 1
    return first if first < close else None


def _quoted_name_start(tokens: list[_Token], close: int) -> int | None:
    """Index of the first word of a name in quote marks right before its programme word (‘अर्न वाइल लर्न’ योजना,
    'Khel Saathi' scheme); None unless the name words run back to an opening quote mark."""
    first = close - 1
    while first > 0 and close - first < MAX_NAME_WORDS and not tokens[first].after_break \
            and _is_name_word(tokens[first - 1]):
        first -= 1
    if not (tokens[first].marks and set(tokens[first].marks) & _OPEN_QUOTES):
        return None  # ‘गरीबों के लिए’ योजना: a phrase in quotes, not a name
    while first < close and tokens[first].key in _NOT_FIRST:
        first += 1
    return first if first < close else None


def _name_end(tokens: list[_Token], opening: int) -> int | None:
    """Index of the last name word after an opening programme word (at most two words); None when there is none."""
    last = opening
    while last + 1 < len(tokens) and last - opening < 2 and not tokens[last + 1].after_break \
            and _is_name_word(tokens[last + 1]) and tokens[last + 1].key not in _CLOSING \
            and not tokens[last + 1].text.endswith(_OBLIQUE_PLURAL):
        last += 1
    return last if last > opening else None


def _is_programme(programme: str, name_words: list[_Token]) -> bool:
    """Whether the ``name_words`` with the programme word whose key is ``programme`` name a programme."""
    own = [t.key for t in name_words]
    if not own or any(k in _NOT_PROGRAMME or k in _WORK for k in own):
        return False
    if all(k in _NO_NAME for k in own) and not (any(k in _SCOPE for k in own) and any(k in _TOPIC for k in own)):
        return False  # नई योजना, राष्ट्रीय मिशन: a reference; राष्ट्रीय स्वास्थ्य मिशन is a name
    if programme in _DRIVE and any(k in _DRIVE_ACTIVITY for k in own):
        return False  # वाहन चेकिंग अभियान, सैन्य अभियान: a routine drive or a military operation
    if programme in _CAMPAIGN and any(k in _PARTY for k in own):
        return False  # पार्टी … अभियान, भाजपा गांव चलो अभियान: a party's campaign
    if programme in _OPENING and (any(k in _INSTITUTION for k in own) or all(k in _STATE for k in own)):
        return False  # मिशन अस्पताल, ऑपरेशन जिला अस्पताल में (surgeries); Mission Haryana: a party's goal
    if programme in _DRIVE and all(k in _ACTIVITY or k in _NO_NAME for k in own):
        return False  # टीकाकरण अभियान, घर-घर संपर्क अभियान: a drive named by its activity
    if programme in _EVENT_CLOSING and any(k in _EVENT for k in own):
        return False  # शाम सांस्कृतिक कार्यक्रम, Annual Cultural Programme: an event
    if programme in _CARD and own[-1] in _DOCUMENT_CARD:
        return False  # पीएचएच राशन कार्ड, UPJEE Admit Card: the kind of card is a document's
    if programme in _ALLOWANCE and all(k in _GENERIC or k in _PAY for k in own):
        return False  # जोखिम भत्ता: an employee's pay
    if programme in _YOJANA and own[-1] in _PLAN_KIND:
        return False  # ग्राम कार्य योजना: an action plan
    return not (programme in _PROJECT and any(k in _WORKS for k in own))  # मेट्रो परियोजना: a works project


def _other_sense(tokens: list[_Token], at: int) -> bool:
    """Whether the word after the programme word at ``at`` gives it another sense: a manner of working (मिशन मोड
    में, in Mission Mode) or, after योजना, a plan being drawn up (योजना बनाने, योजना तैयार की)."""
    if at + 1 >= len(tokens) or tokens[at + 1].after_break:
        return False
    after = tokens[at + 1].key
    return after in _MANNER or (tokens[at].key in _YOJANA and (after in _PLAN_MAKING or after in _PLANNING_BODY))


def _opens_phrase(tokens: list[_Token], at: int) -> bool:
    """Whether the programme word at ``at`` stands where a name can open: not after a name word (there it closes
    a name or sits inside one: स्वच्छ भारत मिशन आम जनता की …, स्मार्ट फ्रेट ऑपरेशन ऑप्टिमाइजेशन …) nor after a
    determiner, possessive or participle that makes it a common noun (यह मिशन …, हमारे मिशन विदेशों में …)."""
    if at == 0 or tokens[at].after_break:
        return True
    before = tokens[at - 1]
    return not _is_name_word(before) and before.key not in _COMMON_BEFORE


def _names_other_thing(tokens: list[_Token], last: int) -> bool:
    """Whether the name ending at ``last`` is followed by नाम का / naam ka and a noun other than a programme word:
    the name is that thing's (Mission Topper naam ka crash course)."""
    if last + 3 >= len(tokens) or any(t.after_break and not t.quoted for t in tokens[last + 1:last + 4]):
        return False
    named, of, noun = (t.key for t in tokens[last + 1:last + 4])
    return named in _NAMED and of in _NAMED_OF and noun not in _PROGRAMME_WORDS


def _denied(tokens: list[_Token], first: int, last: int) -> bool:
    """Whether the words around the name at ``tokens[first:last + 1]`` say that no such programme exists: "<name>
    नाम की कोई योजना नहीं है", "<name> नाम से कोई स्कीम नहीं चल रही", "कोई <name> नहीं है", "<name> फर्जी है" (a
    fact check of a fake message)."""
    after: list[str] = []
    for token in tokens[last + 1:last + 8]:
        if token.after_break and not token.quoted:
            break
        if after or not token.key.isdigit():  # a year after the name: 'PM … Yojana 2026' naam ki koi …
            after.append(token.key)
    if after and after[0] in _NEGATION and first > 0 and tokens[first - 1].key in _NONE \
            and (not tokens[first].after_break or tokens[first].quoted):
        return True
    if len(after) >= 2 and after[0] in _NAMED and after[1] in _NAMED_OF:
        after = after[2:]
    if after and after[0] in _FAKE:
        return len(after) == 1 or after[1] in _COPULA
    if len(after) >= 2 and after[0] in _COPULA and after[1] in _FAKE:
        return True
    return len(after) >= 3 and after[0] in _NONE and after[1] in _PROGRAMME_WORDS \
        and any(k in _NEGATION for k in after[2:5])


def _context_rejects(value: str, matches: list[re.Match[str]], keys: list[str], tokens: list[_Token], low: int,
                     first: int, last: int, programme_key: str) -> bool:
    """Whether the words around the name at ``tokens[first:last + 1]`` (``tokens[0]`` is token ``low`` of the
    text), read through quote marks, make it something other than a programme: another thing's name, another
    actor's programme, a denied or fake one, or a title."""
    if _names_other_thing(tokens, last) or _run_by_others(tokens, first, last, programme_key) \
            or _denied(tokens, first, last):
        return True
    if last + 1 < len(tokens) and not tokens[last + 1].after_break and tokens[last + 1].key in _COURSE:
        return True  # Mission Selection batch, मिशन 100 कोर्स: a coaching centre's course
    if programme_key in _PROJECT and _costed(tokens, first):
        return True  # 160 करोड़ रुपये की सीवरेज परियोजना: a works project
    if first > 0 and (not tokens[first].after_break or tokens[first].quoted) and tokens[first - 1].key in _WORK:
        return True  # फिल्म ‘मिशन मंगल’: a title
    if (tokens[first].quoted or tokens[first].key in _OPENING) \
            and _sentence_has(value, matches, keys, low + first, _SCREEN):
        return True  # Trailer of 'Operation X' …, ‘मिशन X’ का टीजर: a film's title
    return _denied_later(value, tokens[first].start, tokens[last].end)


def _costed(tokens: list[_Token], first: int) -> bool:
    """Whether a sum of money stands just before the name at ``first`` (… करोड़ रुपये की …, Rs 40 crore …)."""
    if first == 0 or (tokens[first].after_break and not tokens[first].quoted):
        return False
    before = first - 1
    if tokens[before].key in _GENITIVE and before > 0 and not tokens[before].after_break:
        before -= 1
    return tokens[before].key in _MONEY


def _denied_later(value: str, start: int, end: int) -> bool:
    """Whether a claim (दावा, viral, fact check …) around the name at ``value[start:end]`` is followed by a denial
    that such a programme exists (… पीआईबी ने साफ किया कि ऐसी कोई योजना नहीं …, No such scheme exists), or a fact
    check calls the message that quotes the name fake (#FactCheck: 'X Yojana' के नाम पर वायरल मैसेज फर्जी है)."""
    after = value[end:end + _DENIAL_REACH]
    if _SUCH_NONE.search(after) and _CLAIM.search(value, max(0, start - _DENIAL_REACH), end):
        return True
    quoted = value[:start].rstrip()[-1:] in _OPEN_QUOTES | _CLOSE_QUOTES
    return quoted and bool(_FAKE_CALLED.search(after)) \
        and bool(_FACT_CHECK.search(value, max(0, start - _DENIAL_REACH), end + _DENIAL_REACH))


_DENIAL_REACH = 240
"""Characters read after a name for a denial, and before it for the claim denied (the next sentence or two)."""
_PROGRAMME_NOUN = r"(?:योजना|स्कीम|अभियान|कार्यक्रम|मिशन|कार्ड|भत्ता)"
_SUCH_NONE = re.compile(
    rf"(?:ऐसी|ऐसा|ऐसे)\s+(?:कोई\s+)?{_PROGRAMME_NOUN}[^।.!?\n]{{0,40}}?नहीं|कोई\s+(?:ऐसी|ऐसा|ऐसे)\s+{_PROGRAMME_NOUN}"
    r"[^।.!?\n]{0,40}?नहीं|\b[Nn]o such (?:scheme|yojana|programme|program|mission|allowance)\b"
    r"|\b(?:aisi|aesi|aisa|aise) koi (?:scheme|yojana|yojna)\b[^.!?\n]{0,40}?\bnahi|\bkoi (?:aisi|aesi|aisa) "
    r"(?:scheme|yojana|yojna)\b[^.!?\n]{0,40}?\bnahi", re.IGNORECASE)
_CLAIM = re.compile(r"दावा|दावे|वायरल|फैक्ट|भ्रामक|\b(?:claim|claims|claimed|viral|fact|factcheck|misleading|hoax)\b",
                    re.IGNORECASE)
_FACT_CHECK = re.compile(r"फैक्ट[\s-]*चेक|पीआईबी|\bfact[\s-]*check|\bPIB\b", re.IGNORECASE)
_FAKE_CALLED = re.compile(r"फर्जी|नकली|झूठा|झूठी|झूठे|भ्रामक|\b(?:fake|false|bogus|hoax|misleading|fraudulent)\b",
                          re.IGNORECASE)


def _sentence_has(value: str, matches: list[re.Match[str]], keys: list[str], i: int, words: frozenset[str]) -> bool:
    """Whether the sentence of token ``i`` has one of ``words`` (a military word: army, सेना, आतंकी …)."""
    first = i
    while first > 0 and not _SENTENCE_END.search(value, matches[first - 1].end(), matches[first].start()):
        first -= 1
    last = i
    while last + 1 < len(keys) and not _SENTENCE_END.search(value, matches[last].end(), matches[last + 1].start()):
        last += 1
    return any(word in words for key in keys[first:last + 1] for word in key.split())  # army's: "army s"


def _run_by_others(tokens: list[_Token], first: int, last: int, programme_key: str) -> bool:
    """Whether a business or club (any programme word), or a political party (a campaign word), runs the name at
    ``tokens[first:last + 1]``: it owns it (SBI's … Scheme, ज्वेलर्स की … स्कीम, The JJP launched its … Abhiyan) or is
    the ergative subject whose direct object the name is (रोटरी क्लब ने रविवार को रक्तदान शिविर लगाया)."""
    actors = (_BUSINESS | _PARTY) if programme_key in _CAMPAIGN else _BUSINESS

    def actor(token: _Token) -> bool:
        if programme_key in _CAMPAIGN and token.text.split("'")[0] in _PARTY_CAPITALS:
            return True
        return token.key in actors or bool(set(token.key.split()) & actors)  # SBI's folds to "sbi s"

    def actor_at(k: int) -> bool:  # a business, or its agent or employee (एलआईसी एजेंट, बैंक की शाखा प्रबंधक)
        if k > 0 and tokens[k - 1].key in _RESERVE and not tokens[k].after_break:
            return False  # रिजर्व बैंक ने …: the central bank is government
        if actor(tokens[k]):
            return True
        unit = tokens[k].key in _UNIT
        if tokens[k].key not in _STAFF and not unit:
            return False
        for m in range(k - 1, max(-1, k - 5), -1):  # संत निरंकारी मिशन की स्थानीय शाखा
            if tokens[m + 1].after_break:
                return False
            if actor(tokens[m]) or (unit and tokens[m].key in _PRIVATE):
                return True
        return False

    if _held_by(tokens, first, last, actor_at) or (programme_key in _CAMP and _camp_held_by(tokens, first, actor_at)):
        return True

    if first == 0 or (tokens[first].after_break and not tokens[first].quoted):  # सर्राफ की 'गोल्ड … स्कीम'
        return False
    before = tokens[first - 1]
    if before.text.endswith(("'s", "’s")) and actor(before):
        return True
    if before.key in _GENITIVE and first > 1 and not before.after_break and actor_at(first - 2):
        return True
    after = tokens[last + 1] if last + 1 < len(tokens) and not tokens[last + 1].after_break else None
    direct_object = after is None or after.key not in _POSTPOSITION or _sold_after(tokens, last)
    own = before.key in _OWN
    reported = False  # past a कि: only the speaker (X ने कहा कि) owns a name that is "their own"
    j = first - 1
    while j > 0 and first - j <= _ACTOR_WINDOW and not tokens[j].after_break:
        if tokens[j].text in _THAT:
            if not (own or before.key in _SPEAKER_OWN):
                break
            reported = True
        elif reported:
            if tokens[j].key in _ERGATIVE and actor_at(j - 1):
                return True
        elif own and actor_at(j - 1):
            return True
        elif direct_object and tokens[j].key in _ERGATIVE and actor_at(j - 1):
            return True
        j -= 1
    return False


def _held_by(tokens: list[_Token], first: int, last: int, actor_at: Callable[[int], bool]) -> bool:
    """Whether an actor (``actor_at``) holds the name at ``tokens[first:last + 1]`` by a phrase of agency: before
    it, "X की ओर से / X द्वारा" and participles only (गुरुद्वारा कमेटी की ओर से लगाए गए … शिविर); after it, in its
    clause, "run by X" (… is run by a private academy)."""
    k = first - 1
    if k >= 0 and not (tokens[first].after_break and not tokens[first].quoted):
        while k > 0 and first - k <= 4 and tokens[k].key in _HELD and not tokens[k + 1].after_break:
            k -= 1
        if k > 0 and not tokens[k + 1].after_break and tokens[k].key in _BY and actor_at(k - 1):
            return True
        if k > 2 and not tokens[k + 1].after_break and tokens[k].key in _FROM and tokens[k - 1].key in _SIDE \
                and tokens[k - 2].key in _GENITIVE and actor_at(k - 3):
            return True
    for j in range(last + 1, min(len(tokens), last + 10)):
        if tokens[j].after_break and not tokens[j].quoted:
            return False
        if tokens[j].key == "by" and tokens[j - 1].key in _RUN_BY:
            return any(actor_at(m) for m in range(j + 1, min(len(tokens), j + 4)) if not tokens[m].after_break)
    return False


def _camp_held_by(tokens: list[_Token], first: int, actor_at: Callable[[int], bool]) -> bool:
    """Whether the clause before a camp's name at ``first`` says an actor holds it, with a time or place between
    (रोटरी क्लब की ओर से रविवार को सत्संग भवन में रक्तदान शिविर लगाया गया): a camp is held by whoever "की ओर से" or
    "द्वारा" names, up to a subject or a conjunction that opens another clause."""
    j = first - 1
    while j > 0 and first - j <= _ACTOR_WINDOW and not tokens[j + 1].after_break \
            and tokens[j].key not in _ERGATIVE | _AND and tokens[j].text not in _THAT:
        if tokens[j].key in _BY and actor_at(j - 1):
            return True
        if j > 2 and tokens[j].key in _FROM and tokens[j - 1].key in _SIDE and tokens[j - 2].key in _GENITIVE \
                and actor_at(j - 3):
            return True
        j -= 1
    return False


def _sold_after(tokens: list[_Token], last: int) -> bool:
    """Whether the clause after the name ending at ``last`` says it is sold (… योजना की दो पॉलिसी बेचीं):
    a product, not a programme the seller speaks of — unless it is sold "in the name of" it (… योजना के नाम पर)."""
    after = tokens[last + 1:]
    if len(after) >= 2 and after[0].key in _GENITIVE and after[1].key in _NAMED:
        return False
    for token in after:
        if token.after_break:
            return False
        if token.key in _SOLD:
            return True
    return False


@lru_cache(maxsize=1)
def get_candidate_finder() -> SchemeCandidateFinder:
    """The process-wide finder over the shipped catalogue."""
    return SchemeCandidateFinder(get_scheme_tagger())


def promote(slug: str, names: list[str], *, display_name: str | None = None, level: str = "other",
            catalogue: Path = RESOURCE) -> dict[str, Any]:
    """Write a candidate into the catalogue data file as a scheme (id: the slug with ``_``), every name it was
    written with an exact alias; returns the new entry. The tagger sees it from its next start."""
    if not names and not display_name:
        raise InputError(f"no candidate scheme '{slug}' is stored: give its name with --name")
    document = json.loads(catalogue.read_text(encoding="utf-8"))
    scheme_id = slug.replace("-", "_")
    if any(entry["id"] == scheme_id for entry in document["schemes"]):
        raise InputError(f"scheme '{scheme_id}' is already in the catalogue ({catalogue})")
    written = list(dict.fromkeys([*names, *([display_name] if display_name else [])]))
    latin = [n for n in written if n.isascii()]
    entry = {"id": scheme_id, "name_en": display_name or (latin[0] if latin else written[0]),
             "name_hi": next((n for n in written if not n.isascii()), written[0]), "level": level,
             "ministry": "", "kind": "scheme", "aliases": [{"text": n, "rule": "exact"} for n in written],
             "keyword_hints": [], "extra_cues": [], "promoted_from": slug}
    document["schemes"].append(entry)
    partial = catalogue.with_suffix(".json.partial")
    partial.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(catalogue)  # a reader never sees half a file
    get_scheme_tagger.cache_clear()
    get_candidate_finder.cache_clear()
    return entry


@register_tagger("scheme_candidates")
class SchemeCandidatesComponent:
    """Sets ``scheme_candidates``; reads ``schemes`` so that a catalogue scheme is never also a candidate."""

    assigns: ClassVar[tuple[str, ...]] = ("scheme_candidates",)
    requires: ClassVar[tuple[str, ...]] = ("schemes",)

    def __init__(self) -> None:
        self.finder = get_candidate_finder()

    def tag_many(self, mentions: list[Mention]) -> None:
        """Find each mention's candidate schemes."""
        find = self.finder.find
        for mention in mentions:
            mention.scheme_candidates = find(mention.text, mention.title, mention.schemes)

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``scheme_candidates``: each candidate's name as written and its slug."""
        return {"scheme_candidates": [{"name": c.name, "slug": c.slug} for c in mention.scheme_candidates]}
