"""Cross-script search on every store: a word finds its Devanagari, romanised and English spellings, false friends
stay apart, and an SQLite store written before the ``folded`` column gains it on open (docs/search.md)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import datetime

import httpx
import pytest

from janmat.core.mention import IST, Mention
from janmat.store import MentionQuery, open_store
from janmat.store.engine import EngineStore
from janmat.store.reindex import reindex
from janmat.store.templates import TEMPLATES_DIR, IndexTemplates
from nlp.crossscript import OWN_SPELLING, search_key, search_keys
from nlp.normalize import search_terms
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture
from tests.web_server import serve_app

TEXTS = {
    "pension-hi": "बुजुर्गों की पेंशन तीन महीने से नहीं आई",
    "pension-en": "Old age pension delayed again in Hisar",
    "pension-latn": "penshan abhi tak nahi mili",
    "kisan-hi": "किसान धरने पर बैठे",
    "kisan-latn": "kisan andolan tez hua",
    "kisan-en": "farmers protest at the mandi",
    "yojana-hi": "नई योजना का शुभारंभ",
    "yojana-latn": "nayi yojana ka labh milega",
    "door-en": "the door was left open",
    "door-hi": "गांव से दूर अस्पताल",
    "sir-en": "sir asked for the file",
    "sir-hi": "सिर में चोट लगी",
    "bharti-hi": "भर्ती परीक्षा रद्द",
    "bharat-hi": "भारत की टीम जीती",
    "skull-en": "a skull found near the canal",
    "school-hi": "स्कूल बंद रहेंगे",
    "across-en": "rain across the state",
    "akrosh-hi": "लोगों में आक्रोश",
}


def mention(mid: str, text: str) -> Mention:
    return Mention(id=mid, text=text, published_at=datetime(2026, 3, 2, 10, 0, tzinfo=IST))


@pytest.fixture(params=[pytest.param(b, marks=[pytest.mark.engine] if b != "sqlite" else []) for b in BACKENDS])
def store(request, open_backend):  # noqa: F811
    opened = open_backend(request.param)
    opened.upsert([mention(mid, text) for mid, text in TEXTS.items()])
    opened.refresh()
    return opened


def found(store, text: str) -> set[str]:
    result = store.search(MentionQuery(text=text, limit=50))
    assert result.total == len(result.hits)
    return {hit.mention.id for hit in result.hits}


@pytest.mark.parametrize(("queries", "expected"), [
    (("पेंशन", "pension", "penshan", "pensions", "पेंशनों"), {"pension-hi", "pension-en", "pension-latn"}),
    (("किसान", "kisan", "किसानों", "farmers", "farmer"), {"kisan-hi", "kisan-latn", "kisan-en"}),
    (("योजना", "yojana", "yojna"), {"yojana-hi", "yojana-latn"}),
])
def test_every_spelling_finds_every_script(store, queries, expected):
    for query in queries:
        assert found(store, query) == expected, query


@pytest.mark.parametrize(("query", "expected"), [
    ("door", {"door-en"}), ("दूर", {"door-hi"}),
    ("sir", {"sir-en"}), ("सिर", {"sir-hi"}),
    ("भर्ती", {"bharti-hi"}), ("bharti", {"bharti-hi"}), ("भारत", {"bharat-hi"}),
    ("skull", {"skull-en"}), ("स्कूल", {"school-hi"}),
    ("across", {"across-en"}), ("आक्रोश", {"akrosh-hi"}),
])
def test_false_friends_do_not_match(store, query, expected):
    assert found(store, query) == expected


def test_phrases_exclusions_and_highlights_cross_scripts(store):
    store.upsert([mention("phrase-hi", "किसान योजना की किस्त"), mention("other-order", "yojana kisan ke liye")])
    store.refresh()
    assert found(store, '"kisan yojana"') == {"phrase-hi"}
    assert found(store, "पेंशन -hisar") == {"pension-hi", "pension-latn"}
    # excluding one spelling excludes them all, as including one includes them all
    kisan = {"kisan-hi", "kisan-latn", "kisan-en", "phrase-hi", "other-order"}
    assert found(store, "पेंशन OR kisan -penshan") == kisan
    assert found(store, "pension OR kisan") == kisan | {"pension-hi", "pension-en", "pension-latn"}
    hits = store.search(MentionQuery(text="पेंशन", limit=50)).hits
    latin = next(hit for hit in hits if hit.mention.id == "pension-latn")
    assert "«penshan»" in latin.highlights[0]


MIXED = {
    "pension-both": "Old age pension रुकी: बुजुर्गों की पेंशन तीन महीने से नहीं आई",
    "friends-both": "rain across the state, लोगों में आक्रोश; a skull near the door, गांव से दूर स्कूल",
}


def marks(highlights: list[str]) -> set[str]:
    return set(re.findall("«([^»]*)»", " ".join(highlights)))


@pytest.mark.parametrize(("query", "mid", "marked", "unmarked"), [
    ("pension", "pension-both", {"pension", "पेंशन"}, set()),
    ("पेंशन", "pension-both", {"pension", "पेंशन"}, set()),
    ("penshan", "pension-both", {"pension", "पेंशन"}, set()),
    ("penshan", "pension-hi", {"पेंशन"}, set()),
    ("pension", "pension-latn", {"penshan"}, set()),
    ("across", "friends-both", {"across"}, {"आक्रोश"}),
    ("आक्रोश", "friends-both", {"आक्रोश"}, {"across"}),
    ("door", "friends-both", {"door"}, {"दूर"}),
    ("skull", "friends-both", {"skull"}, {"स्कूल"}),
    ("स्कूल", "friends-both", {"स्कूल"}, {"skull"}),
])
def test_highlights_mark_every_spelling_the_query_matched_and_no_false_friend(store, query, mid, marked, unmarked):
    """docs/search.md: results mark the other spellings too, in the store's highlights and in the web API's and
    search page's snippets (which are cut by the web layer), on every backend; false friends stay unmarked."""
    store.upsert([mention(key, text) for key, text in MIXED.items()])
    store.refresh()
    hits = {hit.mention.id: hit for hit in store.search(MentionQuery(text=query, limit=50)).hits}
    assert mid in hits, query
    assert marks(hits[mid].highlights) == marked, ("store", query)
    with serve_app(store) as url:
        api = httpx.get(f"{url}/api/search", params={"q": query, "limit": 50}).json()
        page = httpx.get(f"{url}/search", params={"q": query}).text
    results = {r["mention"]["id"]: r for r in api["results"]}
    assert marks(results[mid]["highlights"]) == marked, ("api", query)
    page_marks = set(re.findall("<mark>([^<]*)</mark>", page))
    assert marked <= page_marks and not unmarked & page_marks, ("page", query)


def test_keys_line_up_with_index_terms():
    text = "PM-Kisan की 2,000 रुपये की किस्त, penshan aur पेंशनों पर H-1B ५०० door"
    keys = search_keys(text)
    assert len(keys) == len(search_terms(text))
    assert search_key("door").startswith(OWN_SPELLING) and search_key("2000").startswith(OWN_SPELLING)


def test_an_sqlite_store_from_before_cross_script_search_gains_it_on_open(tmp_path):
    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    titled = mention("titled", "शिविर सुबह नौ बजे से").model_copy(update={"title": "Pension camp in Jind"})
    store.upsert([*(mention(mid, TEXTS[mid]) for mid in ("pension-hi", "pension-en", "kisan-latn")), titled])
    store.close()
    db = sqlite3.connect(path)  # what an older Janmat wrote: the term index without its folded column
    rows = db.execute("SELECT rowid, terms FROM mention_terms").fetchall()
    db.executescript("DROP TABLE mention_terms; "
                     "CREATE VIRTUAL TABLE mention_terms USING fts5(terms, tokenize = 'ascii', detail = 'full');")
    db.executemany("INSERT INTO mention_terms (rowid, terms) VALUES (?, ?)", rows)
    db.commit()
    db.close()
    reopened = open_store(f"sqlite:///{path}")
    try:
        assert found(reopened, "पेंशन") == {"pension-hi", "pension-en", "titled"}
        assert found(reopened, "किसान") == {"kisan-latn"}
        reopened.upsert([mention("pension-latn", TEXTS["pension-latn"])])
        assert found(reopened, "pension") == {"pension-hi", "pension-en", "pension-latn", "titled"}
        assert found(reopened, "शिविर") == {"titled"}
    finally:
        reopened.close()


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
def test_janmat_reindex_gives_engine_indices_from_template_4_their_keys(kind, open_backend, tmp_path):  # noqa: F811
    store = open_backend(kind)
    assert isinstance(store, EngineStore)
    store.upsert([mention(mid, TEXTS[mid]) for mid in ("pension-hi", "pension-en", "pension-latn")])
    store.refresh()
    folder = tmp_path / "v4"  # the templates before cross-script search
    shutil.copytree(TEMPLATES_DIR, folder)
    template = json.loads((folder / "mentions-template.json").read_text())
    template["version"] = template["_meta"]["janmat_derived_fields_version"] = 4
    (folder / "mentions-template.json").write_text(json.dumps(template))
    store.install_templates(store.ensure_ready(), IndexTemplates.load(folder), store.generation)
    for hits in store.scan({"query": {"match_all": {}}}):  # the documents as template 4 had them: no keys
        old = [{"_op_type": "index", "_index": hit["_index"], "_id": hit["_id"],
                "_source": {k: v for k, v in hit["_source"].items() if k != "folded"}} for hit in hits]
        assert all(ok for ok, _ in store.bulk(old))
    store.refresh()
    assert found(store, "pension") == {"pension-en"}
    report = reindex(store, writers_grace_seconds=0)
    assert "recomputed" in report.method and report.total == 3
    assert found(store, "pension") == {"pension-hi", "pension-en", "pension-latn"}
