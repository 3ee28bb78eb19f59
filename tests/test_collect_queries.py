"""Platform queries built from the scheme catalogue, the gazetteer and the watchlist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from janmat.collectors.queries import (
    gnews_queries,
    search_forms,
    x_account_queries,
    x_queries,
    youtube_queries,
)
from janmat.collectors.topics import Topic, district_topics, scheme_topics
from janmat.collectors.watchlist import BUNDLED_WATCHLIST, load_watchlist
from janmat.core.errors import ConfigError
from nlp.schemes import catalogue

_OPERAND = re.compile(r'"([^"]+)"|([^\s()|]+)')


def operands(query: str, joiner: str) -> set[str]:
    """The search terms inside a rendered query (quoted phrases and bare words, minus operators/filters)."""
    found = {q or b for q, b in _OPERAND.findall(query)}
    return {t for t in found if t != joiner and ":" not in t}


def test_x_query_has_the_documented_shape() -> None:
    topic = Topic("scheme", "pm_kisan", ("पीएम किसान", "PM Kisan", "kisan samman nidhi"))
    [query] = x_queries(topic, 512)
    assert query.text == '("पीएम किसान" OR "PM Kisan" OR "kisan samman nidhi") lang:hi -is:retweet'
    assert query.key == "scheme:pm_kisan"


def test_long_topics_are_split_under_the_limit_without_losing_a_term() -> None:
    terms = tuple(f"योजना नंबर {i} का लंबा नाम" for i in range(40))
    parts = x_queries(Topic("keyword", "many", terms), 200)
    assert len(parts) > 1
    assert all(len(p.text) <= 200 and p.text.endswith("lang:hi -is:retweet") for p in parts)
    assert [p.key for p in parts] == [f"keyword:many#{i}" for i in range(1, len(parts) + 1)]
    assert set().union(*(operands(p.text, "OR") for p in parts)) == set(search_forms(terms))


def test_search_forms_add_normalized_spellings_and_drop_redundant_terms() -> None:
    forms = search_forms(["गुड़गांव", "PM-KISAN", "PM Kisan", "किसान सम्मान निधि", "किसान सम्मान निधि योजना",
                          "PPP", "पीपीपी", "fam\u200dily id"])
    assert "गुड़गांव" in forms and "गुडगांव" in forms  # as written and as nlp.normalize writes it
    assert sum(f.casefold().replace("-", " ") == "pm kisan" for f in forms) == 1
    assert "किसान सम्मान निधि" in forms and "किसान सम्मान निधि योजना" not in forms
    assert "PPP" not in forms and "पीपीपी" in forms
    assert "family id" in forms  # zero-width joiner removed


def test_youtube_and_google_news_use_their_own_or_syntax() -> None:
    topic = Topic("district", "Hisar", ("हिसार", "Hisar", "Hissar"))
    assert [q.text for q in youtube_queries(topic)] == ['"हिसार"|Hisar|Hissar']
    assert [q.text for q in gnews_queries(topic)] == ['"हिसार" OR Hisar OR Hissar']


def test_a_term_longer_than_the_limit_is_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    topic = Topic("keyword", "long", ("क" * 600, "हिसार"))
    parts = x_queries(topic, 512)
    assert [p.text for p in parts] == ['("हिसार") lang:hi -is:retweet']
    assert "exceeds the 512-character query limit" in caplog.text


def test_watched_accounts_become_from_queries() -> None:
    accounts = [f"account{i}" for i in range(60)]
    parts = x_account_queries(accounts, 512)
    assert len(parts) > 1 and all(len(p.text) <= 512 and p.text.endswith(") -is:retweet") for p in parts)
    assert parts[0].text.startswith("(from:account0 OR from:account1 OR")
    handles = [h for p in parts for h in re.findall(r"from:(\w+)", p.text)]
    assert handles == accounts


def test_scheme_topics_come_from_the_catalogue_with_only_exact_aliases() -> None:
    topics = {t.name: t for t in scheme_topics()}
    schemes = {s.id: s for s in catalogue()}
    assert set(topics) == {s.id for s in schemes.values() if s.kind == "scheme"}
    assert "पीएम किसान" in topics["pm_kisan"].terms
    for scheme_id, topic in topics.items():
        risky = {text for text, rule in schemes[scheme_id].aliases if rule != "exact"}
        names = {schemes[scheme_id].name_hi, schemes[scheme_id].name_en}
        assert not (risky - names) & set(topic.terms), scheme_id


def test_district_topics_cover_haryana_with_old_names() -> None:
    topics = {t.name: t for t in district_topics()}
    assert len(topics) == 23 and "Hansi" in topics
    assert {"गुरुग्राम", "Gurugram", "Gurgaon"} <= set(topics["Gurugram"].terms)
    assert {"नूंह", "Mewat"} <= set(topics["Nuh"].terms)


def test_the_bundled_watchlist_is_valid() -> None:
    watchlist = load_watchlist(BUNDLED_WATCHLIST)
    assert watchlist.factcheck.feeds and all(f.url.startswith("https://") for f in watchlist.factcheck.feeds)
    assert "PIBFactCheck" in watchlist.x.accounts


def test_a_bad_watchlist_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.yaml"
    path.write_text("telegram:\n  chanels: [haryana]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"watchlist .*watchlist.yaml: telegram.chanels"):
        load_watchlist(path)
    path.write_text("keywords: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_watchlist(path)
