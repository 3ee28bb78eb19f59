"""The word lists of scheme discovery (``nlp.scheme_candidates``): programme words, the words that end a name, and
the classes of look-alike the labelling rules exclude (``docs/schemes.md``), each as folded spellings.

Data, not logic: the finder decides where a name starts and ends and what its context says; these sets say what
kind of word a token is.
"""

from __future__ import annotations

from nlp.normalize import fold


def folded(*words: str) -> frozenset[str]:
    """The fold of each word (a word list's keys)."""
    return frozenset(fold(w) for w in words)


# The lists spell a loan word in each script it is written in (report, रिपोर्ट). One cross-script key per word
# (nlp.crossscript.word_key) would fold only some of these pairs together (green = ग्रीन, but report, metro, bank,
# checking keep apart from रिपोर्ट, मेट्रो, बैंक, चेकिंग) and would make false friends of common words: सभी = SBI,
# अभी ≈ abhiyan, भट्ट ≈ bhatta, and plurals (स्कीमें, अभियानों) would become programme words. Tried on the dev rows
# and ~58,000 unlabelled texts, it lost 42 candidates (स्कूल चलो अभियान among them) and added 727, nearly all false
# (अभी डिबेट, महेश भट्ट), so the lists stay folded spellings.


# a programme word that ends a name
CLOSING = folded("योजना", "योजन", "yojana", "yojna", "scheme", "स्कीम", "mission", "मिशन", "abhiyan", "abhiyaan",
                 "अभियान",
                 "nidhi", "निधि", "card", "कार्ड", "bhatta", "भत्ता", "shivir", "शिविर", "कार्यक्रम", "karyakram",
                 "programme", "program", "परियोजना", "pariyojana", "project", "allowance", "camp")
# a programme word that may open a name
OPENING = folded("mission", "मिशन", "operation", "ऑपरेशन", "ओपरेशन", "abhiyan", "abhiyaan")
PROGRAMME_WORDS = CLOSING | OPENING
CARD = folded("card", "कार्ड")
NIDHI = folded("nidhi", "निधि")
YOJANA = folded("योजना", "योजन", "yojana", "yojna")
ALLOWANCE = folded("bhatta", "भत्ता", "allowance")
CAMP = folded("shivir", "शिविर", "camp")
ENGLISH_CAMP = folded("camp")  # of one name word, a place or a team's (Dharamshala camp); शिविर not (समाधान शिविर)
PROJECT = folded("परियोजना", "pariyojana", "project")
# a sum just before a project (160 करोड़ रुपये की सीवरेज परियोजना, a Rs 40 crore project): a works project's cost
MONEY = folded("रुपये", "रुपए", "रुपया", "रुपयों", "करोड़", "करोड़ों", "लाख", "अरब", "crore", "lakh", "rupees", "rs")
OPERATION = folded("operation", "ऑपरेशन")
# a particle that may stand inside a name (स्वच्छता ही सेवा अभियान, जल ही जीवन योजना) but never opens one
NOT_FIRST = folded("ही")
ENGLISH_CLOSING = folded("scheme", "programme", "program", "project", "card", "mission", "allowance", "camp")
# words that end a name on its left: they are never a word of a programme's name
STOP = folded(
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
    # the accused (आरोपी … योजना के नाम से …) and a length in days (सात दिवसीय विशेष शिविर)
    "आरोपी", "आरोपियों", "accused", "दिवसीय",
    # next and last (अगला गगनयान मिशन)
    "अगला", "अगली", "अगले", "पिछला", "पिछली", "पिछले",
    # the negation particle (उन्हें न यात्रा भत्ता मिलता है, न …) and "no" (No Mukhyamantri … Yojana exists)
    "न", "no",
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
GENERIC = folded(
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
INSTITUTION = folded("अस्पताल", "अस्पतालों", "चिकित्सालय", "hospital", "hospitals", "पीजीआई", "pgi", "पीजीआईएमएस",
                     "pgims", "एम्स", "aiims", "स्कूल", "school", "कॉलेज",
                     "college", "थियेटर", "क्लिनिक", "clinic")
# a state alone after Mission: an election goal (Mission Haryana, मिशन पंजाब), not a government programme
STATE = folded("हरियाणा", "haryana", "पंजाब", "punjab", "दिल्ली", "delhi", "राजस्थान", "rajasthan", "यूपी", "up",
               "हिमाचल", "himachal", "उत्तराखंड", "uttarakhand", "गुजरात", "gujarat", "बिहार", "bihar")
# free of cost after Operation: surgeries done free (ऑपरेशन निःशुल्क होंगे), not a programme
COST_FREE = folded("निःशुल्क", "निशुल्क", "मुफ्त", "free", "फ्री")
# before a one-word name in its sentence: a government or its office runs it (केंद्र सरकार ने …, विभाग ने …, under …)
GOVERNMENT_BEFORE = folded("सरकार", "सरकारों", "government", "govt", "sarkar", "केंद्र", "केन्द्र", "centre", "center",
                           "विभाग", "department", "dept", "मंत्रालय", "ministry", "निगम", "corporation", "बोर्ड",
                           "board", "पुलिस", "police", "विश्वविद्यालय", "university", "प्रशासन", "administration",
                           "आयोग", "commission", "under", "तहत", "अंतर्गत", "अन्तर्गत", "tahat", "antargat")
# after a one-word name in its sentence: what a programme has (के तहत, लाभार्थी, आवेदन, किस्त, under which)
PROGRAMME_AFTER = folded("तहत", "अंतर्गत", "अन्तर्गत", "tahat", "antargat", "under", "लाभार्थी", "लाभार्थियों",
                         "beneficiary", "beneficiaries", "labharthi", "आवेदन", "apply", "application", "applications",
                         "aavedan", "किस्त", "kist", "instalment", "installment", "पात्र", "eligible", "लागू", "lagu",
                         "लाभ", "labh", "benefit", "benefits", "सब्सिडी", "subsidy", "अनुदान", "पंजीकरण", "registration",
                         "पेंशन", "pension", "सहायता", "राशि", "rashi", "रुपये", "रुपए", "rupees", "rs")
# a programme word that also names an event (कार्यक्रम, programme), and the words that make it one wherever they
# stand in the name (शाम सांस्कृतिक कार्यक्रम, नियमित सांस्कृतिक कार्यक्रम); not स्वागत, which also names a
# programme (SWAGAT, Gujarat's online grievance programme: स्वागत ऑनलाइन कार्यक्रम)
EVENT_CLOSING = folded("कार्यक्रम", "karyakram", "programme", "program")
EVENT = folded("दिवस", "day", "जयंती", "वर्षगांठ", "anniversary", "पुण्यतिथि", "महोत्सव", "उत्सव", "festival",
               "पुरस्कार", "award", "awards", "prize", "दीक्षांत", "convocation",
               "सांस्कृतिक", "रंगारंग", "शपथ", "श्रद्धांजलि", "उद्घाटन", "शिलान्यास", "समापन",
               "लोकार्पण", "भूमिपूजन", "समारोह", "जन्मदिन", "cultural", "oath", "swearing", "inaugural",
               "inauguration", "birthday")
# how far a programme reaches: alone (राष्ट्रीय योजना, भारतीय मिशन) a reference, with a topic a name (राष्ट्रीय
# स्वास्थ्य मिशन)
SCOPE = folded("राष्ट्रीय", "national", "नेशनल", "नैशनल", "भारतीय", "indian", "इंडिया", "india", "भारत", "bharat",
               "देशव्यापी", "देशव्यापि", "राष्ट्रव्यापी", "राज्यव्यापी", "प्रदेशव्यापी", "राज्यस्तरीय", "जिलास्तरीय", "वैश्विक",
               "global", "ग्लोबल", "अंतरराष्ट्रीय", "अंतर्राष्ट्रीय", "international", "स्थानीय", "local", "राजकीय",
               "mukhyamantri", "मुख्यमंत्री", "pradhan", "mantri", "प्रधानमंत्री", "cm", "pm", "सीएम", "पीएम",
               # the home state alone (Haryana Scheme: सरकार ने किया ऐलान …) is a headline's reference
               "हरियाणा", "haryana", "हरियाना", "hariyana")
TOPIC = folded("सफाई", "जागरूकता", "आवास", "बीमा", "ऋण", "राहत", "कल्याण", "स्वास्थ्य", "शिक्षा", "मेडिकल",
               "चिकित्सा", "welfare", "housing", "insurance", "loan", "relief", "health", "education", "medical")
# employees' pay allowances (rule 5): with भत्ता they name pay, not a welfare allowance (जोखिम भत्ता, वर्दी भत्ता)
PAY = folded("जोखिम", "वर्दी", "परिवहन", "वाहन", "मोबाइल", "टेलीफोन", "ड्यूटी", "ओवरटाइम", "प्रतिनियुक्ति",
             "धुलाई", "पोशाक", "राशन", "हार्डशिप", "कठिनाई", "रात्रि", "नाइट", "प्रतिकर", "सत्कार", "किट",
             "risk", "uniform", "transport", "conveyance", "washing", "overtime", "deputation", "night",
             "hardship", "duty", "kit", "compensatory", "leave", "city", "hra", "da", "ta", "lta", "cca",
             "children", "field",
             # a scheme worker's incentive or honorarium, and arrears of any pay (आशा वर्कर्स का प्रोत्साहन भत्ता,
             # बकाया महंगाई भत्ता)
             "प्रोत्साहन", "incentive", "मानदेय", "honorarium", "बकाया", "arrears", "arrear",
             # a legislator's or an area's allowance (विधायकों का निर्वाचन क्षेत्र भत्ता, क्षेत्र भत्ता)
             "निर्वाचन", "constituency", "क्षेत्र", "area", "सचिवालय", "secretarial")
# the kind of an employees' pension system before पेंशन: पुरानी पेंशन योजना, Unified Pension Scheme are pay (labelling
# rule 5), not programmes for citizens
PENSION = folded("पेंशन", "pension")
PENSION_SYSTEM = folded("पुरानी", "purani", "old", "यूनिफाइड", "unified", "एकीकृत", "ekikrit", "नई", "new")
# a manner of working: after a programme word it gives the programme word that sense (मिशन मोड में, in Mission
# Mode); inside a name it adds nothing (ई-पंचायत मिशन मोड परियोजना is named by ई-पंचायत)
MANNER = folded("मोड", "mode")
# योजना followed by one of these is a plan being drawn up (विभाजन योजना तैयार की, योजना बनाने), not a programme
PLAN_MAKING = folded("बनाने", "बनाना", "बनाई", "बनायी", "बनाया", "बना", "बनाकर", "बनाते", "बनाती", "तैयार",
                     "निर्माण")
# योजना followed by one of these is a building, colony or planning body named योजना (योजना भवन, योजना विहार,
# योजना आयोग), not a programme
PLANNING_BODY = folded("भवन", "bhawan", "bhavan", "विहार", "vihar", "नगर", "कॉलोनी", "colony", "आयोग", "बोर्ड",
                       "board", "commission")
# योजना after one of these is an action plan (ग्राम कार्य योजना, rule 2)
PLAN_KIND = folded("कार्य", "एक्शन", "परीक्षा", "exam", "examination")  # and a board's exam plan
# a determiner, possessive or participle before Mission / मिशन makes it a common noun (यह मिशन …, हमारे मिशन
# विदेशों में …, आरंभ किया गया मिशन …): it opens no name
COMMON_BEFORE = folded("यह", "वह", "ये", "वे", "इस", "उस", "इन", "उन", "इसी", "उसी", "हमारे", "हमारा", "हमारी",
                       "अपने", "अपना", "अपनी", "मेरा", "मेरे", "मेरी", "एक", "गया", "गई", "गए", "गये", "किया",
                       "this", "a", "an", "our")
# the programme words of a campaign or drive
CAMPAIGN = folded("abhiyan", "abhiyaan", "अभियान", "mission", "मिशन", "shivir", "शिविर", "campaign", "drive", "camp")
# a drive named by its activity (police, municipal, court-ordered enforcement, military) is routine work or a
# one-off operation, not a programme
DRIVE = folded("abhiyan", "abhiyaan", "अभियान", "campaign", "drive")
# a department's drive named only by what it does (टीकाकरण अभियान, घर-घर नामांकन अभियान, rule 3): with a name
# word of its own it is a programme (मिशन इंद्रधनुष टीकाकरण अभियान, पल्स पोलियो टीकाकरण अभियान)
ACTIVITY = folded("टीकाकरण", "vaccination", "immunisation", "immunization", "नामांकन", "दाखिला", "enrolment",
                  "enrollment", "admission", "पंजीकरण", "रजिस्ट्रेशन", "registration", "सर्वे", "सर्वेक्षण",
                  "survey", "पौधारोपण", "वृक्षारोपण", "plantation", "घर-घर", "door-to-door", "डोर-टू-डोर",
                  "जनसंपर्क", "संपर्क", "outreach", "स्क्रीनिंग", "screening", "छिड़काव", "फॉगिंग", "fogging",
                  "दवा", "वितरण", "distribution",
                  # a rescue (पुलिस और गोताखोरों ने बचाव अभियान शुरू किया)
                  "बचाव", "रेस्क्यू", "rescue", "खोज", "तलाश",
                  # an expedition (पर्वतारोहण अभियान)
                  "पर्वतारोहण", "mountaineering", "ट्रेकिंग", "trekking", "expedition", "एवरेस्ट",
                  "everest")
DRIVE_ACTIVITY = folded("चेकिंग", "checking", "धरपकड़", "सीलिंग", "sealing", "अतिक्रमण", "encroachment", "हटाओ",
                        "तोड़फोड़", "demolition", "छापेमारी", "raid", "ध्वस्तीकरण", "नाकाबंदी", "तलाशी", "search", "चालान",
                        "challan", "गिरफ्तारी", "सत्यापन", "verification", "सघन", "काटो", "disconnection", "वसूली",
                        "recovery",
                        "सैन्य", "सैनिक", "military", "आतंकरोधी", "आतंकवाद", "आतंकवादी", "उग्रवादी",
                        # a party's organisation drive (rule 4: संगठन सृजन अभियान, बूथ सशक्तिकरण अभियान)
                        "संगठन", "सांगठनिक", "बूथ", "organisation", "organization", "booth",
                        # and its membership drive (rule 4: सदस्यता अभियान, whoever it is named after)
                        "सदस्यता", "membership",
                        # a revision of rolls or lists (मतदाता सूची पुनरीक्षण अभियान)
                        "पुनरीक्षण", "revision")
# a military word in its sentence makes an Operation a military one (rule 3: Operation Sindoor), not a programme
MILITARY = folded("army", "armed", "military", "soldiers", "troops", "navy", "airstrike", "airstrikes", "terror",
                  "terrorist", "terrorists", "terrorism", "militant", "militants", "सेना", "सेनाओं", "सैन्य",
                  "सैनिक", "सैनिकों", "फौज", "वायुसेना", "नौसेना", "थलसेना", "आतंकी", "आतंकियों", "आतंकवादी",
                  "आतंकवादियों", "आतंकवाद", "उग्रवादी", "उग्रवादियों", "एयरस्ट्राइक", "सर्जिकल",
                  # a war and its dead (‘ऑपरेशन विजय’ के 27 साल … शहीदों के परिजन, Kargil war)
                  "war", "martyr", "martyrs", "martyred", "kargil", "युद्ध", "शहीद", "शहीदों", "शहादत", "कारगिल",
                  # an evacuation from abroad is a one-off operation (Operation Ganga from Ukraine)
                  "evacuation", "evacuated", "evacuate", "evacuees", "airlift", "airlifted", "stranded", "एयरलिफ्ट",
                  "निकासी", "फंसे", "ukraine", "sudan", "यूक्रेन", "सूडान")
# a works project named by what it builds (rule 5: मेट्रो परियोजना, सड़क परियोजना, Gurgaon Metro Project)
WORKS = folded("मेट्रो", "metro", "सड़क", "road", "रोड", "रेल", "rail", "रेलवे", "railway", "पुल", "bridge",
               "फ्लाईओवर", "flyover", "हाईवे", "highway", "एक्सप्रेसवे", "expressway", "राजमार्ग", "बाईपास", "bypass",
               "कॉरिडोर", "corridor", "बांध", "dam", "नहर", "canal", "हवाई", "अड्डा", "airport", "एयरपोर्ट", "लिंक",
               "link", "पाइपलाइन", "pipeline", "सुरंग", "टनल", "tunnel", "भवन", "building", "प्लांट", "plant",
               "सीवर", "sewer", "sewerage", "जलविद्युत", "hydel", "hydro", "पुनर्विकास", "redevelopment", "नदी",
               "river",
               # a hub, terminal, station or stadium built (लॉजिस्टिक हब परियोजना)
               "हब", "hub", "लॉजिस्टिक", "logistics", "टर्मिनल", "terminal", "स्टेशन", "station", "स्टेडियम",
               "stadium")
# a political party named just before a campaign: the party's campaign, not a government programme
PARTY = folded("भाजपा", "बीजेपी", "कांग्रेस", "इनेलो", "जजपा", "बसपा", "सपा", "पार्टी", "पार्टियों",
               "bjp", "congress", "inld", "jjp", "bsp", "party", "parties")
PARTY_CAPITALS = frozenset({"AAP"})  # written so only as the party: aap, आप are also "you"
# a business, club, society or place of worship named just before any programme word: its offer, product or
# camp, not a government programme
BUSINESS = folded("बैंक", "bank", "banks", "sbi", "hdfc", "icici", "lic", "कंपनी", "company", "दुकान", "दुकानों",
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
                  "निरंकारी", "nirankari", "डेरा", "dera", "सत्संग", "satsang", "रामकृष्ण", "ramakrishna")
# a business's agent or employee acts for it: बीमा कंपनी के एजेंट ने …, बैंक अधिकारी ने बताया कि हमारी … स्कीम
STAFF = folded("एजेंट", "agent", "agents", "प्रबंधक", "मैनेजर", "manager", "कर्मचारी", "employee", "employees",
               "अधिकारी", "officer", "official", "कर्मी", "प्रतिनिधि", "representative")
# a body that takes its kind from the word before it (गुरुद्वारा कमेटी, कोचिंग संस्थान, a private academy)
UNIT = folded("कमेटी", "committee", "समिति", "samiti", "मिशन", "mission", "संस्थान", "institute", "academy", "अकादमी",
              "एकेडमी",
              # a party's or body's local unit or wing (भाजपा जिला इकाई ने …, युवा मोर्चा, the bank's branch)
              "इकाई", "unit", "wing", "मोर्चा", "morcha", "प्रकोष्ठ", "cell", "शाखा", "branch")
PRIVATE = folded("private", "निजी", "प्राइवेट")
# participles between an organiser and the name it holds (… की ओर से लगाए गए … शिविर)
HELD = folded("लगाए", "लगाये", "लगाया", "लगाई", "गए", "गये", "गया", "गई", "आयोजित", "संचालित", "चलाए", "चलाये",
              "चलाया", "चलाई", "जा", "रहे", "रही", "रहा", "किए", "किये", "किया", "शुरू", "प्रायोजित")
BY = folded("द्वारा", "dwara")
AND = folded("और", "तथा", "एवं", "व", "and", "aur")
SIDE = folded("ओर", "तरफ")  # की ओर से: on behalf of
FROM = folded("से", "se")
# "<name> … run by <actor>": an English verb of running before by
RUN_BY = folded("run", "organised", "organized", "held", "conducted", "launched", "offered", "operated",
                "sponsored", "managed", "floated", "promoted", "advertised")
# a possessive before a name in a reported clause: the speaker's own (शाखा प्रबंधक ने बताया कि हमारी … स्कीम)
SPEAKER_OWN = folded("उनकी", "उनके", "उनका", "हमारी", "हमारे", "हमारा", "our", "their")
# a selling verb after the name: the business's product (एजेंट ने … योजना की पॉलिसी बेची)
SOLD = folded("sold", "sell", "sells", "selling", "बिक्री", "बेचा", "बेची", "बेचीं", "बेचे", "बेचें", "बेचना", "बेचने",
              "बेचता", "बेचती", "बेचते", "बेचकर", "बेचेगा", "बेचेगी", "बेचेंगे")
RESERVE = folded("रिजर्व", "reserve")  # रिजर्व बैंक, Reserve Bank: the central bank, a government regulator
GENITIVE = folded("की", "का", "के", "ki", "ka", "ke")
ERGATIVE = folded("ने", "ne")
UNDER = folded("तहत", "अंतर्गत", "अन्तर्गत", "tahat", "antargat")  # के तहत: under
OF = folded("ऑफ", "of")  # बैंक ऑफ बड़ौदा
GOVERNMENT = folded("सरकार", "sarkar", "government", "govt")  # भाजपा सरकार: a government, not the party
# a reported clause: भाजपा ने कहा कि … अभियान सफल रहा — the party does not run it. Matched on the written word:
# कि and the genitive की fold to one key
THAT = frozenset({"कि", "that", "That"})
OWN = folded("its", "their", "अपना", "अपने", "अपनी", "apna", "apne", "apni")
# after a name, these make it something other than the direct object of the verb of an ergative subject (कांग्रेस ने
# … अभियान की आलोचना की: the party speaks of the campaign, it does not run it)
POSTPOSITION = folded("की", "का", "के", "को", "पर", "से", "में", "ki", "ka", "ke", "ko", "par", "se", "mein")
# "<name> नाम का कोर्स": the name is the course's (or film's, app's …) unless that noun is a programme word
NAMED = folded("नाम", "naam")
NAMED_OF = folded("का", "की", "के", "से", "ka", "ki", "ke", "se")
# "<name> नाम की कोई योजना नहीं है", "<name> फर्जी है": a fact check says no such programme exists
NONE = folded("कोई", "koi", "no")
NEGATION = folded("नहीं", "नही", "nahi", "nahin", "not", "न")
# after "no / कोई <name>": it does not exist (No 'X Yojana' exists; कोई 'X योजना' मौजूद नहीं)
EXISTS = folded("exists", "exist", "मौजूद", "अस्तित्व")
FAKE = folded("फर्जी", "fake", "नकली", "bogus", "hoax")
COPULA = folded("है", "हैं", "hai", "hain", "is", "was", "था", "थी")
# kinship words and titles before निधि: a woman's name (बेटी निधि, डॉ. निधि), not a fund
PERSON_BEFORE = folded("बेटी", "बिटिया", "पुत्री", "बहन", "पत्नी", "भाभी", "मां", "छात्रा", "खिलाड़ी", "शिक्षिका",
                       "श्रीमती", "सुश्री", "कुमारी", "डॉ", "daughter", "sister", "wife", "dr", "ms", "mrs", "miss")
# family names and a woman's second names after योजना: a woman called योजना (योजना शर्मा, Yojana Devi)
SURNAME = folded("शर्मा", "वर्मा", "सिंह", "देवी", "कुमारी", "रानी", "कौर", "यादव", "गुप्ता", "जैन", "चौधरी", "मलिक",
                 "सैनी", "अग्रवाल", "बंसल", "गोयल", "मित्तल", "गर्ग", "राठी", "दहिया", "हुड्डा", "सांगवान", "जाखड़",
                 "पूनिया", "ग्रेवाल", "शेखावत", "राठौर", "चौहान", "ठाकुर", "पांडे", "पांडेय", "मिश्रा", "तिवारी",
                 "sharma", "verma", "singh", "devi", "kumari", "rani", "kaur", "yadav", "gupta", "jain", "chaudhary",
                 "malik", "saini", "aggarwal", "bansal", "goyal", "mittal", "garg", "rathi", "dahiya", "hooda")
# the kind of card just before कार्ड / card: an identity or everyday document, a bank's card, or a card "played"
# in politics (मुस्लिम कार्ड, victim card), not a programme
DOCUMENT_CARD = folded("लेबर", "labour", "labor",
                       "राशन", "आधार", "पैन", "वोटर", "मतदाता", "ड्राइविंग", "एटीएम", "क्रेडिट", "डेबिट", "सिम",
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
NOT_PROGRAMME = folded("ponzi", "pyramid", "chit", "fraud", "investment", "colour", "color", "naming", "marking",
                       "rating", "admission", "impossible", "पोंजी", "चिटफंड", "ठगी", "फर्जी", "एडमिशन",
                       # the same in Devanagari (बोर्ड की मार्किंग स्कीम)
                       "पोंज़ी", "पिरामिड", "इन्वेस्टमेंट", "कलर", "मार्किंग", "रेटिंग",
                       # money-doubling frauds (डबल मनी स्कीम, paisa double scheme)
                       "डबल", "double", "दोगुना", "दुगना", "doubling", "चेन", "chain", "एमएलएम", "mlm",
                       # a bank's deposit offer (… की मानसून धमाका जमा योजना)
                       "जमा", "धमाका",
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
                       # a space mission (गगनयान मिशन, Chandrayaan-3 mission): one flight, not a scheme for citizens
                       "गगनयान", "चंद्रयान", "मंगलयान", "इसरो", "gaganyaan", "chandrayaan", "mangalyaan", "isro",
                       # a country's weapons programme (उत्तर कोरिया का परमाणु हथियार कार्यक्रम)
                       "परमाणु", "nuclear", "हथियार", "weapons", "weapon", "मिसाइल", "missile")
# a course or batch named by a Mission before it (a coaching centre's Mission Selection batch)
COURSE = folded("batch", "batches", "बैच", "course", "कोर्स", "classes", "क्लासेज", "कोचिंग", "coaching")
# a work with a title (फिल्म मिशन मंगल, the film Mission Mangal): its title is no programme
WORK = folded("फिल्म", "film", "movie", "मूवी", "किताब", "पुस्तक", "book", "गाना", "गीत", "song", "सीरियल",
              "serial", "धारावाहिक", "शो", "show")
# a film's release or screening in the sentence of a quoted or Mission / Operation name: the name is its title
SCREEN = folded("film", "films", "movie", "फिल्म", "फ़िल्म", "मूवी", "trailer", "ट्रेलर", "teaser", "टीजर", "टीज़र",
                "सिनेमा", "cinema", "cinemas", "सिनेमाघर", "सिनेमाघरों", "बॉक्स",
                "box-office", "ओटीटी", "ott", "netflix", "नेटफ्लिक्स")
NO_NAME = GENERIC | SCOPE | MANNER
"""Name words that alone (without a topic after a scope word) make no programme's name."""
CHIEF_MINISTER = folded("मुख्यमंत्री", "सीएम", "cm", "mukhyamantri")
HOME_STATE = folded("हरियाणा", "haryana", "हरियाना", "hariyana")
PRIME_MINISTER = folded("प्रधानमंत्री", "पीएम", "pm", "pradhanmantri")
