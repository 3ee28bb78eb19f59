"""Scheme discovery (issue 16): programmes outside the catalogue become candidate schemes with a stable slug and
their evidence, are stored on every backend, listed and counted by the CLI and the API, and promoted into the
catalogue data file, after which the tagger tags them as catalogue schemes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import httpx
import pytest

from janmat.core.mention import Mention
from janmat.store import MentionStore, open_store
from janmat.store.scheme_candidates import stored_candidates
from nlp.enrich import Enricher, tag_record
from nlp.scheme_candidates import SchemeCandidateFinder, candidate_slug, get_candidate_finder
from nlp.schemes import RESOURCE, SchemeTagger, get_scheme_tagger
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - a fixture
from tests.test_cli import janmat
from tests.web_server import serve_app

SUMANGALA = "उत्तर प्रदेश की कन्या सुमंगला योजना में अब बेटियों को 25 हजार रुपये मिलेंगे।"
KALIA = "Odisha farmers under the KALIA Yojana will get the next instalment before the kharif season."
MUSKAAN = "Operation Muskaan ke tahat Panipat police ne 12 laapata bachche unke parivaron se milaye."
TAGGERS = ["language", "districts", "schemes", "scheme_candidates"]


@lru_cache(maxsize=1)
def rules_only() -> SchemeCandidateFinder:
    """The finder without its scorer: what the rules alone find (the scorer is tested in test_scheme_scorer.py)."""
    return SchemeCandidateFinder(get_scheme_tagger())


def names(text: str, title: str | None = None) -> list[str]:
    return [c.name for c in rules_only().find(text, title)]


RULE_CASES: dict[str, list[tuple[str, list[str]]]] = {
    "named_programmes_outside_the_catalogue_are_candidates": [
        (SUMANGALA, ["कन्या सुमंगला योजना"]),
        (KALIA, ["KALIA Yojana"]),
        (MUSKAAN, ["Operation Muskaan"]),
        ("महिला एवं बाल विकास विभाग ने मिशन शक्ति और मिशन वात्सल्य की प्रगति पर बैठक ली।", ["मिशन शक्ति", "मिशन वात्सल्य"]),
        ("बौना भत्ता और किन्नर भत्ता पाने वालों की पेंशन भी बढ़ेगी।", ["बौना भत्ता", "किन्नर भत्ता"]),
        ("ई-श्रम कार्ड बनवाने के लिए श्रम कार्यालय में भीड़ लगी।", ["ई-श्रम कार्ड"]),
        ("सिरसा में स्वास्थ्य विभाग का नेत्र जांच शिविर लगा।", ["नेत्र जांच शिविर"]),
    ],
    "programme_lookalikes_are_rejected_and_programmes_beside_them_kept": [
        # मिशन मोड / Mission Mode is a manner of working; a name that runs through it still closes on its own word
        ("जिला प्रशासन अब मिशन मोड में काम करेगा।", []),
        ("The board will clear the files in Mission Mode this week.", []),
        ("ई-पंचायत मिशन मोड परियोजना पूरी हुई।", ["ई-पंचायत मिशन मोड परियोजना"]),
        # a routine drive named by its activity is not a programme; a named campaign is
        ("नगर निगम ने अवैध होर्डिंग हटाओ अभियान चलाया।", []),
        ("पुलिस ने हाईवे पर रात को वाहन चेकिंग अभियान चलाया।", []),
        ("स्वास्थ्य विभाग का पल्स पोलियो अभियान रविवार से शुरू होगा।", ["पल्स पोलियो अभियान"]),
        # a party's own campaign is not a government programme; a party speaking of a programme leaves it one
        ("आम आदमी पार्टी ने बदलाव अभियान शुरू किया।", []),
        ("The INLD launched its Kisan Nyay Abhiyan in Sirsa.", []),
        ("कांग्रेस ने जल शक्ति अभियान की आलोचना की।", ["जल शक्ति अभियान"]),
        ("भाजपा ने कहा कि पल्स पोलियो अभियान सफल रहा।", ["पल्स पोलियो अभियान"]),
        # a bank's, shop's or club's offer or camp is not a government programme
        ("HDFC's Festive Bonanza Scheme ends on Sunday.", []),
        ("शहर के लायंस क्लब ने रविवार को रक्तदान शिविर लगाया।", []),
        ("बैंक ने कन्या सुमंगला योजना के तहत खाते खोले।", ["कन्या सुमंगला योजना"]),
        # events, everyday cards, coaching batches and a girl called निधि
        ("स्वागत कार्यक्रम के बाद नेत्र जांच शिविर लगा।", ["नेत्र जांच शिविर"]),
        ("विधायक ने अपना रिपोर्ट कार्ड जारी किया।", []),
        ("Mission NEET batches start in Hisar next month.", []),
        ("उसकी बेटी निधि शादी के बाद विदेश गई।", []),
    ],
    "a_name_is_cut_at_words_that_are_never_part_of_one": [
        # a name starts after a compound postposition, a verb form, an ordinal or quantity, a determiner, an office
        ("पुलिस ने मिलावटखोरों के खिलाफ विशेष अभियान चलाया।", []),
        ("वर्ष 2016 में शुरू किए गए पोषण वाटिका अभियान से गांवों में पौधे लगे।", ["पोषण वाटिका अभियान"]),
        ("देश की पहली किसान सूर्योदय योजना गुजरात में शुरू हुई।", ["किसान सूर्योदय योजना"]),
        ("जिले में अब तक पांच लाख आधार कार्ड बन चुके हैं।", []),
        ("ग्रामीणों ने ऐसी योजना की मांग की जो हर घर तक पहुंचे।", []),
        ("जन स्वास्थ्य विभाग पोषण वाटिका अभियान की समीक्षा करेगा।", ["पोषण वाटिका अभियान"]),
        # ही may stand inside a name but never opens one
        ("स्वच्छता ही सेवा अभियान में छात्रों ने गलियां साफ कीं।", ["स्वच्छता ही सेवा अभियान"]),
        ("घोषणा के बाद ही मिलेट प्रोत्साहन योजना के फॉर्म बंटने लगे।", ["मिलेट प्रोत्साहन योजना"]),
        # a line break ends a name; a hashtag is no word of one
        ("हरियाणा समाचार\nपोषण वाटिका अभियान के तहत पौधे बांटे गए।", ["पोषण वाटिका अभियान"]),
        ("#HaryanaNews पोषण वाटिका अभियान के तहत पौधे बांटे गए।", ["पोषण वाटिका अभियान"]),
        # मिशन opens a name only at the start of a phrase: not after the name it closes, nor after यह / हमारे
        ("सरकार का निपुण भारत मिशन बच्चों की पढ़ाई सुधारेगा।", ["निपुण भारत मिशन"]),
        ("यह मिशन गांवों तक पानी पहुंचाएगा।", []),
        ("रेलवे के मिशन रफ्तार से गाड़ियां तेज चलेंगी।", ["मिशन रफ्तार"]),
    ],
    "more_lookalikes_are_rejected_by_what_they_are": [
        # employees' pension systems are pay (labelling rule 5)
        ("Employees want the Old Pension Scheme back and reject the Unified Pension Scheme.", []),
        ("कर्मचारियों ने पुरानी पेंशन योजना बहाल करने की मांग की।", []),
        # a scope alone is a reference; a scope or a government's title with a topic names a programme
        ("केंद्र ने एक राष्ट्रीय मिशन की घोषणा की है।", []),
        ("राष्ट्रीय पशुधन मिशन के तहत डेयरी को अनुदान मिलेगा।", ["राष्ट्रीय पशुधन मिशन"]),
        ("उत्तर प्रदेश में मुख्यमंत्री आवास योजना के मकान बांटे गए।", ["मुख्यमंत्री आवास योजना"]),
        ("मंत्री ने व्यापक योजना पेश की, पर उसका नाम नहीं बताया।", []),
        # employees' pay allowances, beside a welfare allowance
        ("कर्मचारियों ने वर्दी भत्ता और परिवहन भत्ता बढ़ाने की मांग की, जबकि किन्नर भत्ता अगले माह से बढ़ेगा।",
         ["किन्नर भत्ता"]),
        # works projects named by what they build
        ("रेवाड़ी बाईपास परियोजना का काम फिर रुक गया।", []),
        ("The Hisar Airport Project needs 300 more acres.", []),
        # military operations and drives; a police Operation stays a programme
        ("Operation Vijay was the army's answer in Kargil.", []),
        ("सेना ने ऑपरेशन त्रिशूल में तीन आतंकी मार गिराए।", []),
        ("सीमा पर सैन्य अभियान तीसरे दिन भी जारी रहा।", []),
        ("Karnal police's Operation Clean Sweep nabbed 40 drug peddlers.", ["Operation Clean Sweep"]),
        # the kind of card before कार्ड, whatever comes before it
        ("उसके पास पीएचएच राशन कार्ड नहीं है।", []),
        ("विपक्ष ने चुनाव से पहले दलित कार्ड खेला।", []),
        # योजना as a plan being drawn up, and an action plan
        ("पंचायतें मार्च तक ग्राम स्वच्छता योजना तैयार करेंगी।", []),
        ("ग्राम स्वच्छता योजना के तहत हर पंचायत को पैसा मिलेगा।", ["ग्राम स्वच्छता योजना"]),
        ("बैठक में वार्ड कार्य योजना पर चर्चा हुई।", []),
        # a name that is another thing's (naam ka app, a film's title)
        ("Mission Ranker naam ka app students mein popular hai.", []),
        ("Mission Ujala naam ki yojana se gaon ki galiyan roshan hongi.", ["Mission Ujala"]),
        ("अभिनेता की फिल्म मिशन रानीगंज सिनेमाघरों में लगी।", []),
        # camps of a society or a temple; check-up camps, courses and ceremonies named by what happens
        ("शहर की एक सामाजिक संस्था ने रविवार को नेत्र जांच शिविर लगाया।", []),
        ("गांव के मंदिर का रक्तदान शिविर सुबह नौ बजे शुरू होगा।", []),
        ("स्वास्थ्य जांच शिविर में दो सौ लोगों की जांच हुई।", []),
        ("विश्वविद्यालय के स्नातकोत्तर कार्यक्रम में दाखिले शुरू हुए।", []),
        ("नए भवन के भूमि पूजन कार्यक्रम में विधायक पहुंचे।", []),
    ],
    "products_fakes_record_cards_and_run_on_nouns": [
        # an oblique plural noun after a name an opening word begins is the sentence's, not the name's
        ("रोहतक पुलिस का ऑपरेशन आरोहण बच्चियों को स्कूल लौटाने में मदद कर रहा है।", ["ऑपरेशन आरोहण"]),
        ("जिला प्रशासन का मिशन सम्मान महिलाओं को कानूनी मदद देता है।", ["मिशन सम्मान"]),
        ("जिले में मिशन प्रेरणा किसानों के बच्चों के लिए भी खुलेगा।", ["मिशन प्रेरणा"]),
        # a jeweller's, bank's or insurer's product: owned through a quote, the speaker's own past कि, sold by an agent
        ("सराफा बाजार के एक ज्वैलर की 'गोल्ड मंथली स्कीम' में पैसा लगाने वाले परेशान हैं।", []),
        ("सर्राफ की स्वर्ण बचत योजना में किस्तें भरने वाले थाने पहुंचे।", []),
        ("एक निजी बैंक की शाखा प्रबंधक ने बताया कि उनकी अपनी होम लोन स्कीम पर ब्याज कम है।", []),
        ("बैंक अधिकारी ने कहा कि हमारी फिक्स्ड डिपॉजिट स्कीम सबसे अच्छी है।", []),
        ("बीमा कंपनी के एजेंट ने धन वर्षा योजना की पॉलिसी बेची और किस्तें हड़प लीं।", []),
        ("एलआईसी एजेंट ने जीवन सुरक्षा योजना के फायदे गिनाकर दो पॉलिसी बेचीं।", []),
        # a bank, agent or insurer that speaks of or serves a government programme leaves it one
        ("बैंक के प्रबंधक ने कहा कि कन्या सुमंगला योजना के खाते इसी शाखा में खुलेंगे।", ["कन्या सुमंगला योजना"]),
        ("बैंक मित्र ने ग्रामीणों को कन्या सुमंगला योजना के बारे में जानकारी दी।", ["कन्या सुमंगला योजना"]),
        ("एलआईसी के माध्यम से विभाग आम आदमी बीमा योजना चला रहा है।", ["आम आदमी बीमा योजना"]),
        ("एजेंट ने कन्या सुमंगला योजना के नाम पर लोगों को पॉलिसी बेची।", ["कन्या सुमंगला योजना"]),
        ("मुख्यमंत्री ने कहा कि हमारी किसान सूर्योदय योजना देश में पहली है।", ["किसान सूर्योदय योजना"]),
        # a name that a fact check says does not exist; a real programme with fake forms or calls stays one
        ("वायरल संदेश में बताई गई 'प्रधानमंत्री मुफ्त मोबाइल योजना' नाम की कोई योजना नहीं है।", []),
        ("Viral post wali 'Free Scooty Yojana' naam ki koi scheme nahi hai, yeh message fake hai.", []),
        ("सोशल मीडिया पर चल रही 'बेटी विवाह सहायता स्कीम' फर्जी है।", []),
        ("सरकार ने साफ किया कि कोई 'घर घर लैपटॉप योजना' नहीं चल रही।", []),
        ("कन्या सुमंगला योजना के फर्जी आवेदन पकड़े गए।", ["कन्या सुमंगला योजना"]),
        ("कन्या सुमंगला योजना के नाम पर फर्जी कॉल करने वाला पकड़ा गया।", ["कन्या सुमंगला योजना"]),
        # a hospital's or office's record card
        ("डॉक्टर ने ओपीडी कार्ड देखकर मरीज की दवा बदल दी।", []),
        ("अस्पताल में पंजीकरण कार्ड बनवाने की कतार लंबी थी।", []),
    ],
    # held_out3's error classes, in our own sentences: each either fails on the code before them or guards the new
    # English programme words against the lookalikes they could bring in.
    "set_up_verbs_party_drives_far_actors_english_allowances_and_camps": [
        # a verb form of लगना / लगाना before a camp's name is the sentence's
        ("तहसील परिसर में लगे दिव्यांग प्रमाण शिविर में अस्सी लोगों के प्रमाण पत्र बने।", ["दिव्यांग प्रमाण शिविर"]),
        ("ब्लॉक कार्यालय में लगी पेंशन सत्यापन शिविर की कतार दोपहर तक चली।", ["पेंशन सत्यापन शिविर"]),
        # romanised generic adjectives
        ("Naya scheme aaya hai kya, bhaiya?", []),
        ("Purani Yojana band ho gayi kya, kisi ko pata hai?", []),
        # a party's organisation drive, also when the party is named outside the name's clause
        ("भाजपा ने बूथ सशक्तिकरण अभियान के तहत हर गांव में प्रभारी बनाए।", []),
        ("संगठन विस्तार अभियान के तहत जिलाध्यक्षों की नई सूची अगले हफ्ते आएगी।", []),
        ("किसान उत्पादक संगठन योजना के तहत जिले में पचास नए समूह बने।", ["किसान उत्पादक संगठन योजना"]),
        # a club's camp with a place between the club and the camp; the department's stays a programme
        ("रोटरी क्लब ने पुराने बस अड्डे के पास वाले सामुदायिक भवन में नेत्र जांच शिविर लगाया।", []),
        ("स्वास्थ्य विभाग ने पुराने बस अड्डे के पास वाले सामुदायिक भवन में नेत्र जांच शिविर लगाया।", ["नेत्र जांच शिविर"]),
        # the Reserve Bank is government, not a business
        ("अब रिजर्व बैंक ने गांवों के लिए ग्राहक शिकायत निवारण स्कीम लागू कर दी है।", ["ग्राहक शिकायत निवारण स्कीम"]),
        ("अब एक निजी बैंक ने गांवों के लिए ग्राहक बचत स्कीम लागू कर दी है।", []),
        # English Allowance closes a welfare allowance's name; pay allowances stay rejected
        ("Under the Widow Remarriage Allowance, the district pays a one-time grant.", ["Widow Remarriage Allowance"]),
        ("Staff will get a higher Dearness Allowance and House Rent Allowance from July.", []),
        ("Constables asked for a bigger Night Duty Allowance.", []),
        # English camp, also in a sentence-case name; not after one word (a place, a team's camp) nor after a
        # programme word (the camp is that programme's)
        ("The corporation will hold a Water Bill settlement camp in Ward 9 on Monday.", ["Water Bill settlement camp"]),
        ("Kal panchayat ghar mein Pension Verification camp lagega.", ["Pension Verification camp"]),
        ("The squad reached the Dharamshala camp on Friday.", []),
        ("The district set up a Vridh Pension scheme camp at the block office.", ["Vridh Pension scheme"]),
        ("Free health check camp in our colony today", []),
        ("Now no 5 Acre limit anymore pension scheme for farmers", []),
    ],
    # held_out4's and dev4's error classes, in our own sentences: each rejection fails on the code before them, and
    # the programmes beside them stay.
    "quoted_names_titles_wars_denials_and_private_bodies": [
        # a title through quote marks: the work word before it, a film or trailer in its sentence
        ("नई फिल्म ‘मिशन चंद्रयान’ का पहला शो देखने स्कूली बच्चे पहुंचे।", []),
        ("The teaser of 'Operation Sunrise' is out; the film stars two newcomers.", []),
        # a war's anniversary; a police Operation in quote marks stays a programme
        ("‘ऑपरेशन मेघदूत’ की वर्षगांठ पर गांव में शहीदों को श्रद्धांजलि दी गई।", []),
        ("Villagers remembered the martyrs of 'Operation Rakshak' on its silver jubilee.", []),
        ("जिले की पुलिस ने ‘ऑपरेशन सवेरा’ के तहत 20 लापता बच्चे ढूंढे।", ["ऑपरेशन सवेरा"]),
        # a coaching batch, the exam written in Devanagari
        ("एक कोचिंग सेंटर ने ‘मिशन जेईई 2028’ बैच में दाखिले के नाम पर पैसे ठगे।", []),
        # a claim denied in the next sentence; without a claim, "no such scheme here" leaves another state's one
        ("वायरल मैसेज में दावा है कि ‘मुख्यमंत्री मुफ्त स्कूटी योजना’ में हर छात्रा को स्कूटी मिलेगी। विभाग ने बताया कि"
         " ऐसी कोई योजना नहीं है।", []),
        ("A viral message claims the 'Kisan Free Tractor Scheme' gives every farmer a tractor."
         " No such scheme exists.", []),
        ("Fact check: 'CM Free Mobile Yojana 2026' naam ki koi scheme nahi hai.", []),
        ("राजस्थान की चिरंजीवी योजना में इलाज मुफ्त है, पर हरियाणा में ऐसी कोई योजना नहीं है।", ["चिरंजीवी योजना"]),
        ("वायरल वीडियो में ‘गौ पालक सहायता योजना’ के लाभार्थी अपनी बात कहते दिखे।", ["गौ पालक सहायता योजना"]),
        # the particle न is no name word; a disability ID is a document
        ("ठेके पर लगे सफाईकर्मियों को न यात्रा भत्ता मिलता है और न छुट्टी।", []),
        ("Pension ke liye UDID card dikhana padta hai.", []),
        # run by a private body: after the name, or "… की ओर से लगाए गए" before it; a department stays a programme
        ("A 'Mission Podium' programme in Karnal is run by a private academy and charges fees.", []),
        ("The Skill Saathi programme is run by the state labour department.", ["Skill Saathi programme"]),
        ("गुरुद्वारा कमेटी की ओर से लगाए गए मुफ्त दंत शिविर में 200 लोग पहुंचे।", []),
        ("स्वास्थ्य विभाग की ओर से लगाए गए दंत जांच शिविर में 200 लोग पहुंचे।", ["दंत जांच शिविर"]),
        ("A Karnal supermarket's 'Mega Saver Card' carries a fake government logo.", []),
        ("एक बिल्डर की ‘सीमित समय’ प्लॉट बुकिंग स्कीम पर नोटिस जारी हुआ।", []),
        # a name in quote marks before its programme word, a romanised में, an acronym before a lower-case yojana
        ("कॉलेज ने गरीब छात्रों के लिए ‘पढ़ो कमाओ’ योजना शुरू की।", ["‘पढ़ो कमाओ’ योजना"]),
        ("कॉलेज ने ‘गरीबों के लिए’ योजना शुरू की है।", []),
        ("Kerala me Karunya Arogya scheme se ilaj muft hota hai.", ["Karunya Arogya scheme"]),
        ("Nagar nigam ki OTS yojana 31 March tak chalegi.", ["OTS yojana"]),
        ("Sarkar ki yojana ka kya hua?", []),
    ],
    # held_out5's and dev5's error classes, in our own sentences: each rejection fails on the code before them, and
    # the programmes beside them stay.
    "people_fact_checks_activity_drives_events_units_and_costs": [
        # a woman called योजना: "resident of" before, a family name after
        ("हिसार निवासी योजना शर्मा को राज्य पुरस्कार मिला।", []),
        ("कैथल की सरपंच योजना देवी ने गांव में सड़क बनवाई।", []),
        # a fact check calls the message that quotes the name fake, in the same sentence or the next
        ("#FactCheck: 'PM Berozgari Bhatta Yojana' के नाम पर वायरल मैसेज फर्जी है।", []),
        ("PIB Fact Check: A post claims the 'Pradhan Mantri Free Scooty Yojana' gives girls a scooter."
         " This is fake.", []),
        ("राजस्थान सरकार की 'इंदिरा रसोई योजना' में आठ रुपये में भोजन मिलता है।", ["इंदिरा रसोई योजना"]),
        # a drive named by its activity alone; with a name of its own it is a programme
        ("स्वास्थ्य विभाग ने गांव में बच्चों का टीकाकरण अभियान चलाया।", []),
        ("पंचायत ने घर-घर सर्वे अभियान शुरू किया।", []),
        ("रविवार को पल्स पोलियो टीकाकरण अभियान चलेगा।", ["पल्स पोलियो टीकाकरण अभियान"]),
        # an event word anywhere in a कार्यक्रम's name; a talk show; a time of day is no name word
        ("स्कूल में वार्षिक दिवस पर शाम सांस्कृतिक कार्यक्रम हुआ।", []),
        ("प्रधानमंत्री के मन की बात कार्यक्रम की 120वीं कड़ी सुनी गई।", []),
        # a party's district unit runs its campaign; a bank speaking of a programme in a reported clause does not
        ("कांग्रेस की जिला इकाई ने रविवार से गांव गांव संवाद अभियान शुरू किया।", []),
        ("गांव गांव संवाद अभियान शुरू किया गया।", ["गांव गांव संवाद अभियान"]),
        ("बैंक ने कहा कि लाडली बहना योजना के खाते बढ़े।", ["लाडली बहना योजना"]),
        # a business that is the subject past a genitive की (कि and की fold alike): its own scheme
        ("एक ज्वैलर्स शोरूम ने दिवाली पर 10 महीने की स्वर्ण बचत स्कीम निकाली।", []),
        # a camp held "on behalf of" a club with a time and a place between; a department's camp stays
        ("रोटरी क्लब की ओर से रविवार को सामुदायिक भवन में नेत्र जांच शिविर लगाया गया।", []),
        ("स्वास्थ्य विभाग की ओर से रविवार को सामुदायिक केंद्र में नेत्र जांच शिविर लगाया गया।", ["नेत्र जांच शिविर"]),
        # a religious body's mission; a project with its cost before it; a money-doubling fraud; an evacuation
        ("संत निरंकारी मिशन के सेवादारों ने पार्क की सफाई की।", []),
        ("नगर निगम ने 85 करोड़ रुपये की ड्रेनेज परियोजना को मंजूरी दी।", []),
        ("साइबर ठगों ने 'पैसा डबल स्कीम' का लालच देकर लोगों को ठगा।", []),
        ("Students from Haryana were airlifted from Sudan under Operation Kaveri last year.", []),
        ("Operation Muskaan rescued 40 children in Panipat.", ["Operation Muskaan"]),
        # found in unlabelled news: a catalogue name with sentence words run into it is the catalogue's; with a
        # government's title before it, another government's programme
        ("गांवों में पाइपलाइन की निगरानी जल जीवन मिशन के तहत होगी।", []),
        ("राष्ट्रीय पोषण अभियान पूरे सितंबर चलेगा।", []),
        ("बिहार की मुख्यमंत्री ग्राम सड़क योजना में 500 सड़कें बनीं।", ["मुख्यमंत्री ग्राम सड़क योजना"]),
        # a membership drive, an expedition, a country's nuclear programme, an adjective, a word of address
        ("नेताजी सदस्यता अभियान के नाम पर शहर में होर्डिंग लगे।", []),
        ("कॉलेज के छात्रों का पर्वतारोहण अभियान मनाली से शुरू हुआ।", []),
        ("ईरान के परमाणु कार्यक्रम पर बातचीत फिर शुरू हुई।", []),
        ("विभाग एक सक्रिय कार्यक्रम चलाएगा।", []),
        ("Sir mission ki zimmedari nagar nigam ko do.", []),
    ],
    # held_out6's and dev6's error classes, in our own sentences: each rejection fails on the code before them, and
    # the programmes beside them stay.
    "party_words_documents_days_hospitals_and_lower_case_yojana": [
        # the party's word inside a campaign's name; a state alone after Mission is an election goal
        ("प्रदेश अध्यक्ष ने कहा कि पार्टी किसान न्याय अभियान लेकर हर जिले में जाएगी।", []),
        ("AAP neta bole Mission Punjab ki taiyari shuru.", []),
        # Devanagari spellings of documents and exam schemes, a shop's exchange offer, a bank's FD
        ("छात्र परीक्षा में अपना स्कूल आईडी कार्ड दिखाएं।", []),
        ("विश्वविद्यालय ने परीक्षा की मार्किंग स्कीम जारी की।", []),
        ("शहर के शोरूमों में पुराना टीवी लाओ एक्सचेंज स्कीम चल रही है।", []),
        ("एक निजी बैंक ने धनवर्षा एफडी स्कीम में ज्यादा ब्याज दिया।", []),
        # a day, a prize-giving, a voter-roll revision: events and drives
        ("Schools held an Independence Day programme in every village.", []),
        ("गांव में वार्षिक पुरस्कार वितरण कार्यक्रम हुआ।", []),
        ("निर्वाचन विभाग ने मतदाता सूची पुनरीक्षण अभियान की तारीखें घोषित कीं।", []),
        # a mission hospital and surgeries at a hospital; a police Operation stays
        ("मिशन अस्पताल में नवजात की जांच हुई।", []),
        ("कार्ड धारकों के ऑपरेशन जिला अस्पताल में मुफ्त होंगे।", []),
        ("Operation Smile ke tahat 12 bachche mile.", ["Operation Smile"]),
        # two capitalised words name a lower-case yojana after them; a government is no name
        ("Sir Amrit Bharat Station yojana ka kaam kab hoga?", ["Amrit Bharat Station yojana"]),
        ("Haryana Sarkar yojana laayi hai.", []),
        # a Haryana scheme's name after another state's possessive is that state's programme
        ("राजस्थान सरकार की मुख्यमंत्री तीर्थ यात्रा योजना में 6000 बुजुर्ग गए।", ["मुख्यमंत्री तीर्थ यात्रा योजना"]),
        ("हरियाणा की मुख्यमंत्री तीर्थ यात्रा योजना में 6000 बुजुर्ग गए।", []),
    ],
    # Error classes of the labelled news stories (eval dev) and unlabelled news: catalogue schemes under other
    # spellings, and look-alikes; each rejection fails on the code before them, and the programmes beside them stay.
    "catalogue_schemes_written_another_way_and_words_found_in_news": [
        # a catalogue scheme written another way: a name two schemes share, the state and a programme word around a
        # tagged scheme's words, a name running on from a catalogue name
        ("PM Awas Yojana की नई सूची जारी, ऐसे देखें अपना नाम।", []),
        ("Haryana Dayalu Yojana क्या है? दयालु योजना में परिवार को सहायता मिलती है।", []),
        ("मेरा पानी मेरी विरासत फसल विविधीकरण योजना के तहत किसानों को 7000 रुपये मिलेंगे।", []),
        # a word many schemes' names share does not make a name another's; a chief minister's title before a central
        # scheme's words makes a state's programme
        ("पीएमईजीपी के साथ प्रधानमंत्री रोजगार योजना भी चर्चा में रही।", ["प्रधानमंत्री रोजगार योजना"]),
        ("राजस्थान की मुख्यमंत्री किसान सम्मान निधि योजना में 2000 रुपये और पीएम किसान सम्मान निधि के 6000 रुपये मिलते हैं।",
         ["मुख्यमंत्री किसान सम्मान निधि योजना"]),
        # an hour, a verb, an adjective, the state alone, demolition, rescue, a pilgrims' camp, a scheme's card
        ("सुबह 10 बजे कार्यक्रम शुरू हुआ।", []),
        ("अस्पताल में सुबह से बनेंगे कार्ड।", []),
        ("सरकार ने बच्चों के लिए जबरदस्त स्कीम लॉन्च की।", []),
        ("Haryana Scheme : सरकार ने किया बड़ा ऐलान।", []),
        ("नूंह में ध्वस्तीकरण अभियान जारी रहा।", []),
        ("पुलिस और गोताखोरों ने बचाव अभियान शुरू किया।", []),
        ("मंदिर के पास कांवड़ विश्राम शिविर लगा।", []),
        ("मानेसर में आयुष्मान भारत के गोल्डन कार्ड बांटे गए।", []),
    ],
    # held_out7's and dev7's error classes, in our own sentences: each rejection fails on the code before them, and
    # the programmes beside them stay.
    "incentives_arrears_religious_missions_batches_and_buildings": [
        # a scheme worker's incentive and arrears of pay are pay; a religious mission; a seller's payment plan
        ("आशा वर्कर्स को प्रोत्साहन भत्ता तीन महीने से नहीं मिला।", []),
        ("कर्मचारियों ने बकाया महंगाई भत्ता जारी करने की मांग की।", []),
        ("रामकृष्ण मिशन के स्वामी जी ने प्रवचन दिया।", []),
        ("शोरूम पर जीरो डाउन पेमेंट स्कीम में भीड़ रही।", []),
        # a coaching batch after the name, a scheme's property card, a hall and a commission named योजना
        ("A Karnal coaching centre's Mission Topper batch starts on Monday.", []),
        ("गांव के परिवारों को प्रॉपर्टी कार्ड बांटे गए।", []),
        ("किसान गोष्ठी योजना भवन में हुई।", []),
        ("केंद्र ने पूर्व योजना आयोग की जगह नीति आयोग बनाया।", []),
        # a welfare allowance and a police Operation stay
        ("सरकार ने बौना भत्ता बढ़ाकर 3000 रुपये किया।", ["बौना भत्ता"]),
    ],
    # held_out8's and dev8's error classes, in our own sentences: each rejection fails on the code before them, and
    # the programmes beside them stay.
    "free_surgeries_expeditions_chain_schemes_and_names_running_into_the_catalogue": [
        # free surgeries, an Everest expedition, a legislator's allowance, a chain scheme, a works hub
        ("शिविर में चुने गए मरीजों के ऑपरेशन निःशुल्क किए जाएंगे।", []),
        ("रोहतक की बेटी ने एवरेस्ट अभियान पूरा किया।", []),
        ("विधेयक से विधायकों का निर्वाचन क्षेत्र भत्ता बढ़ गया।", []),
        ("पुलिस ने हर महीने मुनाफे का लालच देने वाली चेन स्कीम पकड़ी।", []),
        ("केएमपी के पास लॉजिस्टिक हब परियोजना की जमीन ली जाएगी।", []),
        # a fact check after the name; a coaching batch written with a hyphen; a temple committee's camp
        ("PM Free Cycle Yojana ke form bharne shuru, link pe click karein..."
         " FACT CHECK: aisi koi yojana nahi hai.", []),
        ("Hamari academy ka Mission IIT-JEE 2027 shuru, scholarship test Sunday ko.", []),
        ("मंदिर समिति की ओर से रविवार को धर्मशाला में रक्तदान शिविर लगाया गया।", []),
        # a candidate running into a catalogue name is that name's; one that begins with a catalogue alias stays
        ("टीकाकरण से छूटे बच्चों को सघन मिशन इंद्रधनुष में टीके लगेंगे।", []),
        ("प्रधानमंत्री किसान मानधन योजना में 55 रुपये महीने जमा होते हैं।", ["प्रधानमंत्री किसान मानधन योजना"]),
    ],
    # A one-word name closed by its programme word is weak evidence (in the held-out rows half of such candidates were
    # no programme); it is kept when its sentence names a state or government before it or says what a programme has
    # after it.
    "a_one_word_name_needs_a_sentence_that_says_programme": [
        # one word and a closing programme word, with nothing in the sentence that says programme: not a candidate
        ("शहर में चिंतन शिविर हुआ।", []),
        ("इसरो का मंगल अभियान सफल रहा।", []),
        # the same shape with a state, a government or "के तहत" around it, or named by Mission / an acronym / a
        # welfare allowance: a candidate
        ("कर्नाटक की शक्ति योजना में महिलाओं को मुफ्त सफर मिलता है।", ["शक्ति योजना"]),
        ("गांव में महाग्राम योजना के तहत सीवरेज लाइन बिछेगी।", ["महाग्राम योजना"]),
        ("केंद्र सरकार ने ज्योतिग्राम योजना की तारीफ की।", ["ज्योतिग्राम योजना"]),
        ("नए सुधार: मिशन कर्मयोगी", ["मिशन कर्मयोगी"]),
        ("The Centre has extended the FAME-II scheme for a year.", ["FAME-II scheme"]),
        ("जिले में किन्नर भत्ता पाने वालों की संख्या 41 हो गई।", ["किन्नर भत्ता"]),
    ],
    # held_out9's and dev9's error classes, in our own sentences: each fails on the code before them.
    "abhiyaan_party_campaigns_under_banks_of_and_another_states_namesake": [
        # the romanised spelling abhiyaan closes a name
        ("Over 2,000 students took a pledge under the Nasha Mukt Bharat Abhiyaan in Hisar.",
         ["Nasha Mukt Bharat Abhiyaan"]),
        # a party acting under a campaign runs it, in Hindi and romanised
        ("Congress ne Bharat Jodo Abhiyan ke tahat padyatra nikali.", []),
        ("कांग्रेस ने संविधान रक्षा अभियान के तहत पदयात्रा निकाली।", []),
        # a bank named in words joined by ऑफ; a board's exam plan; a disconnection drive; a labour card; a camp's length
        ("स्टेट बैंक ऑफ इंडिया की उत्सव जमा योजना में ज्यादा ब्याज मिलेगा।", []),
        ("बोर्ड ने बारहवीं की परीक्षा योजना जारी कर दी।", []),
        ("बिजली निगम ने बकायेदारों के खिलाफ कनेक्शन काटो अभियान चलाया।", []),
        ("श्रमिक लेबर कार्ड के साथ आवेदन करें।", []),
        ("एनएसएस इकाई का सात दिवसीय विशेष शिविर गांव में शुरू हुआ।", []),
        # another state's scheme named like a catalogue scheme the same text tags stays that state's programme
        ("Delhi's Ladli scheme pays girls at birth, while Haryana's Ladli allowance is paid monthly.",
         ["Ladli scheme"]),
    ],
    # held_out10's and dev10's error classes
    "religious_missions_hold_camps_parties_under_campaigns_surgeries_recovery_drives_space_missions": [
        ("रामकृष्ण मिशन की ओर से लगाए गए निःशुल्क दंत शिविर में 200 लोग पहुंचे।", []),
        ("कांग्रेस 2 अक्टूबर से लोकतंत्र बचाओ अभियान के तहत हर जिले में पदयात्रा निकालेगी।", []),
        # a government of a party is a government
        ("भाजपा सरकार ने जल शक्ति अभियान के तहत तालाब बनवाए।", ["जल शक्ति अभियान"]),
        ("विपक्ष ने आरोप लगाया कि भाजपा 'ऑपरेशन कमल' चलाकर विधायकों को तोड़ रही है।", []),
        ("विधायक के घुटने का ऑपरेशन पीजीआई में सफल रहा।", []),
        ("निगम ने प्रॉपर्टी टैक्स वसूली अभियान में 50 दुकानें सील कीं।", []),
        ("छात्रों ने पूछा कि अगला गगनयान मिशन कब उड़ेगा।", []),
    ],
}
"""Sentences in our own words for each rule of the finder, grouped by the rule or the error class (and round) that
brought it: each rejection fails on the code before its rule, and the programmes beside it stay."""


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(text, expected, id=f"{group}-{number}")
    for group, cases in RULE_CASES.items() for number, (text, expected) in enumerate(cases, 1)])
def test_each_rule_case(text: str, expected: list[str]):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "सरकार एक नई योजना लाने की योजना बना रही है।",
    "राशन कार्ड और आधार कार्ड में नाम अलग होने से राशन नहीं मिला।",
    "पार्टी अध्यक्ष ने मिशन 2029 के लिए कार्यकर्ताओं को तैयार रहने को कहा।",
    "Investors lost crores in a Ponzi scheme run from an office in Gurugram.",
    "The builder's new housing scheme in Sector 85 promises possession in three years.",
    "निधि शर्मा ने राज्य स्तरीय प्रतियोगिता में पहला स्थान हासिल किया।",
    "कर्मचारियों को महंगाई भत्ता चार प्रतिशत बढ़ाकर दिया जाएगा।",
    "विधायक ने कहा कि जनसंपर्क अभियान के दौरान लोगों ने बिजली की समस्या बताई।",
    "इस योजना का लाभ अब तक सिर्फ आधे पात्र परिवारों तक पहुंचा है।",
])
def test_generic_words_documents_and_campaigns_are_not_candidates(text: str):
    assert names(text) == []



def test_a_catalogue_scheme_is_never_a_candidate():
    text = "लाडो लक्ष्मी योजना के बाद अब महिलाओं के लिए हर घर हर गृहिणी योजना में सस्ता सिलेंडर मिल रहा है।"
    assert names(text) == []
    # a state's "CM" version of a central scheme is a programme of its own
    assert names("किसानों के लिए मुख्यमंत्री किसान सम्मान निधि योजना की घोषणा हो सकती है।") == [
        "मुख्यमंत्री किसान सम्मान निधि योजना"]


def test_a_name_denied_once_in_a_story_is_no_candidate_anywhere_in_it():
    claim = ("Parents in Jind received a form for a bicycle under a 'Mukhyamantri Cycle Yojana'. The claim is false. "
             "No such scheme exists. ")
    middle = "The education department has asked schools to warn parents in the morning assembly. " * 3
    verdict = ("Verdict: the claim that 'Mukhyamantri Cycle Yojana' gives every girl a bicycle is false. Girls who "
               "need a cycle can apply under the Saksham Cycle Yojana at their school.")
    finder = get_candidate_finder()
    assert [c.name for c in finder.find(verdict)] == ["Mukhyamantri Cycle Yojana", "Saksham Cycle Yojana"]
    # denied where the claim is reported, so not a programme where the story repeats it further on
    assert [c.name for c in finder.find(claim + middle + verdict)] == ["Saksham Cycle Yojana"]
    # or denied by the headline
    title = "Fact check: no 'Mukhyamantri Cycle Yojana' exists"
    assert [c.name for c in finder.find(verdict, title)] == ["Saksham Cycle Yojana"]
    assert [c.name for c in finder.find("No Mukhyamantri Cycle Yojana exists in Punjab.")] == []
    assert [c.name for c in finder.find("फैक्ट चेक: कोई 'मुख्यमंत्री साइकिल योजना' मौजूद नहीं है।")] == []
    assert [c.name for c in finder.find("Mukhyamantri Cycle Yojana exists since 2019 and no girl is left out.")] == [
        "Mukhyamantri Cycle Yojana"]


def test_a_candidate_keeps_its_evidence_and_a_stable_slug():
    title = "KALIA Yojana ki kisht jaldi"
    [found] = get_candidate_finder().find(KALIA, title)
    assert found.slug == "kalia-yojana" == candidate_slug("Kalia  Yojana")
    assert [(e.field, e.text) for e in found.evidence] == [("title", "KALIA Yojana"), ("text", "KALIA Yojana")]
    assert all((title if e.field == "title" else KALIA)[e.start:e.end] == e.text for e in found.evidence)


def test_the_tagger_sets_the_field_and_tag_lists_candidates_apart_from_schemes():
    mention = Enricher(TAGGERS).enrich(Mention(id="m", text=SUMANGALA + " लाडो लक्ष्मी योजना की किस्त भी आई।"))
    assert mention.scheme_ids == ["lado_lakshmi"]
    row = tag_record(mention)
    assert row["schemes"] == ["lado_lakshmi"]
    assert row["scheme_candidates"] == [{"name": "कन्या सुमंगला योजना", "slug": candidate_slug("कन्या सुमंगला योजना")}]


def test_rows_stored_before_the_field_existed_still_load():
    old = {"id": "old", "text": "पुरानी खबर", "schemes": [{"id": "pm_kisan", "name": "PM Kisan", "evidence": []}]}
    assert Mention.model_validate(old).scheme_candidates == []


def _tagged(mention_id: str, text: str, day: int) -> Mention:
    mention = Mention(id=mention_id, text=text, published_at=datetime(2026, 3, day, 10, tzinfo=UTC))
    return Enricher(TAGGERS).enrich(mention)


SAMPLE = [("a", SUMANGALA, 2), ("b", "कन्या सुमंगला योजना की राशि बढ़ी, आवेदन पोर्टल पर होंगे।", 5), ("c", KALIA, 6),
          ("d", "पानीपत में नई सड़क का उद्घाटन हुआ।", 7)]


@pytest.mark.parametrize("kind", BACKENDS)
def test_candidates_are_stored_and_counted_on_every_backend(
    kind: str, open_backend: Callable[[str], MentionStore]  # noqa: F811 - the fixture
):
    store = open_backend(kind)
    store.upsert([_tagged(*row) for row in SAMPLE])
    store.refresh()
    assert store.get("a").scheme_candidates[0].evidence[0].text == "कन्या सुमंगला योजना"
    counted = stored_candidates(store)
    assert [(c.slug, c.mentions) for c in counted] == [(candidate_slug("कन्या सुमंगला योजना"), 2),
                                                       ("kalia-yojana", 1)]
    assert counted[0].last_seen == datetime(2026, 3, 5, 10, tzinfo=UTC)
    assert [c.slug for c in stored_candidates(store, datetime(2026, 3, 6, tzinfo=UTC))] == ["kalia-yojana"]


@pytest.fixture
def sample_store(tmp_path: Path) -> Path:
    path = tmp_path / "j.db"
    with open_store(f"sqlite:///{path}") as store:
        store.upsert([_tagged(*row) for row in SAMPLE])
    return path


def test_cli_lists_candidates_and_promotion_makes_a_catalogue_scheme(sample_store: Path, tmp_path: Path):
    listed = janmat("schemes", "candidates", "--json", store=sample_store)
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["slug"], r["name"], r["mentions"]) for r in rows] == [
        (candidate_slug("कन्या सुमंगला योजना"), "कन्या सुमंगला योजना", 2), ("kalia-yojana", "KALIA Yojana", 1)]
    since = janmat("schemes", "candidates", "--json", "--since", "2026-03-06", store=sample_store)
    assert [json.loads(line)["slug"] for line in since.stdout.splitlines()] == ["kalia-yojana"]
    table = janmat("schemes", "candidates", store=sample_store)
    assert "KALIA Yojana" in table.stdout

    catalogue = tmp_path / "schemes.json"
    shutil.copy(RESOURCE, catalogue)
    promoted = janmat("schemes", "promote", "kalia-yojana", "--name", "KALIA", "--catalogue", str(catalogue),
                      store=sample_store)
    assert promoted.returncode == 0, promoted.stderr
    entry = next(e for e in json.loads(catalogue.read_text(encoding="utf-8"))["schemes"] if e["id"] == "kalia_yojana")
    assert {a["text"] for a in entry["aliases"]} == {"KALIA Yojana", "KALIA"}
    # the promoted scheme is a catalogue scheme now, for the tagger and for discovery alike
    tagger = SchemeTagger(json.loads(catalogue.read_text(encoding="utf-8")))
    assert [tag.id for tag in tagger.tag(KALIA)] == ["kalia_yojana"]
    assert SchemeCandidateFinder(tagger).find(KALIA) == []
    again = janmat("schemes", "promote", "kalia-yojana", "--catalogue", str(catalogue), store=sample_store)
    assert again.returncode == 2 and "already in the catalogue" in again.stderr
    unknown = janmat("schemes", "promote", "no-such-scheme", "--catalogue", str(catalogue), store=sample_store)
    assert unknown.returncode == 2 and "--name" in unknown.stderr and "Traceback" not in unknown.stderr


def test_api_lists_candidates(sample_store: Path):
    with open_store(f"sqlite:///{sample_store}") as store, serve_app(store) as url:
        answer = httpx.get(f"{url}/api/schemes/candidates", timeout=30)
        assert answer.status_code == 200
        assert [(c["slug"], c["mentions"]) for c in answer.json()] == [
            (candidate_slug("कन्या सुमंगला योजना"), 2), ("kalia-yojana", 1)]
        recent = httpx.get(f"{url}/api/schemes/candidates", params={"since": "2026-03-06"}, timeout=30)
        assert [c["slug"] for c in recent.json()] == ["kalia-yojana"]
        bad = httpx.get(f"{url}/api/schemes/candidates", params={"since": "kal subah"}, timeout=30)
        assert bad.status_code == 400
