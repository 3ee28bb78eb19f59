"""User-facing words in Hindi and English. ``JANMAT_UI_LANG=hi`` switches the CLI and web UI to Hindi."""

from __future__ import annotations

from janmat.core.settings import get_settings

MESSAGES: dict[str, dict[str, str]] = {
    "district": {"en": "District", "hi": "ज़िला"},
    "scheme": {"en": "Scheme", "hi": "योजना"},
    "sentiment": {"en": "Sentiment", "hi": "रुख़"},
    "lang": {"en": "Language", "hi": "भाषा"},
    "day": {"en": "Day", "hi": "दिन"},
    "source": {"en": "Source", "hi": "स्रोत"},
    "platform": {"en": "Platform", "hi": "मंच"},
    "mentions": {"en": "Mentions", "hi": "उल्लेख"},
    "positive": {"en": "positive", "hi": "सकारात्मक"},
    "negative": {"en": "negative", "hi": "नकारात्मक"},
    "neutral": {"en": "neutral", "hi": "तटस्थ"},
    "title": {"en": "Title", "hi": "शीर्षक"},
    "published": {"en": "Published", "hi": "प्रकाशित"},
    "error": {"en": "error", "hi": "त्रुटि"},
    "stored_summary": {
        "en": "{stored} stored, {updated} updated, {rejected} rejected, {duplicates} duplicates, "
              "{spooled} spooled for later",
        "hi": "{stored} नए सहेजे, {updated} अद्यतन, {rejected} अस्वीकृत, {duplicates} दोहराव, "
              "{spooled} बाद के लिए सुरक्षित",
    },
    "rejected_line": {"en": "rejected {where}: {why}", "hi": "अस्वीकृत {where}: {why}"},
    "no_results": {"en": "No mentions match.", "hi": "कोई उल्लेख नहीं मिला।"},
    "total_results": {"en": "{total} mentions match", "hi": "{total} उल्लेख मिले"},
    "demo_title": {"en": "Janmat demo — sample news site", "hi": "जनमत डेमो — नमूना समाचार साइट"},
    "demo_total": {
        "en": "{total} mentions stored in {store}: {with_district} with a district, {with_scheme} with a scheme",
        "hi": "{store} में {total} उल्लेख सहेजे: {with_district} में ज़िला, {with_scheme} में योजना",
    },
    "tagged": {"en": "{n} rows tagged", "hi": "{n} पंक्तियाँ टैग कीं"},
    "app_title": {"en": "Janmat — Hindi media monitor", "hi": "जनमत — हिंदी मीडिया निगरानी"},
    "search_placeholder": {
        "en": "Search words, \"phrases\", OR, -exclude", "hi": "शब्द, \"वाक्यांश\", OR, -बाहर खोजें",
    },
    "search": {"en": "Search", "hi": "खोजें"},
    "any": {"en": "any", "hi": "सभी"},
    "since": {"en": "Since", "hi": "से"},
    "until": {"en": "Until", "hi": "तक"},
    "misinformation": {"en": "Misinformation", "hi": "भ्रामक सूचना"},
    "by_district": {"en": "By district", "hi": "ज़िलेवार"},
    "by_scheme": {"en": "By scheme", "hi": "योजनावार"},
    "by_sentiment": {"en": "By sentiment", "hi": "रुख़ के अनुसार"},
    "sample_note": {
        "en": "Tones are machine-tagged; check the text before acting.",
        "hi": "रुख़ मशीन द्वारा टैग किया गया है; कार्रवाई से पहले पाठ जाँचें।",
    },
    # platform collectors
    "collector": {"en": "Collector", "hi": "संग्राहक"},
    "status": {"en": "Status", "hi": "स्थिति"},
    "fetched": {"en": "Fetched", "hi": "प्राप्त"},
    "new": {"en": "New", "hi": "नए"},
    "updated": {"en": "Updated", "hi": "अद्यतन"},
    "duplicates": {"en": "Duplicates", "hi": "दोहराव"},
    "rejected": {"en": "Rejected", "hi": "अस्वीकृत"},
    "gone": {"en": "Gone", "hi": "हटाए गए"},
    "requests": {"en": "Requests", "hi": "अनुरोध"},
    "quota": {"en": "Quota units", "hi": "कोटा इकाइयाँ"},
    "topic": {"en": "Topic", "hi": "विषय"},
    "query": {"en": "Query", "hi": "खोज"},
    "key": {"en": "Key", "hi": "कुंजी"},
    "cursor": {"en": "Cursor", "hi": "कर्सर"},
    "saved_at": {"en": "Saved", "hi": "सहेजा गया"},
    "queued": {"en": "Article URLs waiting for the news crawler: {n}", "hi": "समाचार क्रॉलर की प्रतीक्षा में लेख URL: {n}"},
    "quota_today": {
        "en": "YouTube quota used today (Pacific day {day}): {used}/{cap} units",
        "hi": "आज का यूट्यूब कोटा (पैसिफ़िक दिन {day}): {used}/{cap} इकाइयाँ",
    },
}


def t(key: str, **values: object) -> str:
    """The message ``key`` in the configured UI language (English when no translation exists)."""
    try:
        lang = get_settings().core.ui_lang
    except ValueError:  # invalid settings are reported by the caller; speak English meanwhile
        lang = "en"
    return message(key, lang, **values)


def message(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when no translation exists)."""
    entry = MESSAGES.get(key, {})
    text = entry.get(lang) or entry.get("en") or key
    return text.format(**values) if values else text
