"""Platform and language filters: typed in any case or by name (``Twitter``, ``हिंदी``), or refused naming the values
that exist — in ``build_query`` (CLI and API) and in alert rules; on every store backend the typed value finds what
the stored tag finds."""

from __future__ import annotations

import inspect
import re
from datetime import datetime
from pathlib import Path

import pytest

from janmat.alerts.rules import STORED, AlertRule, parse_rule
from janmat.alerts.storage import open_alert_state
from janmat.core.errors import InputError
from janmat.core.mention import IST, Mention, Platform
from janmat.store import open_store
from janmat.store.filters import LANGS, build_query, resolve_langs, resolve_platforms
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture


def test_platforms_in_any_case_by_label_or_alias() -> None:
    assert resolve_platforms(["NEWS", "Twitter", "X", "ट्विटर", "YouTube", "यूट्यूब", "Google News", "फ़ैक्ट-चेक"]) == [
        "news", "x", "youtube", "gnews", "factcheck"]
    assert resolve_platforms([p.value for p in Platform]) == [p.value for p in Platform]


def test_languages_in_any_case_or_by_name_in_either_language() -> None:
    assert resolve_langs(["HI", "hindi", "हिंदी", "हिन्दी"]) == ["hi"]
    assert resolve_langs(["EN", "English", "अंग्रेजी"]) == ["en"]
    assert resolve_langs(["hi-latn", "Romanised Hindi", "रोमन हिंदी"]) == ["hi-Latn"]
    assert resolve_langs(["MIXED", "मिश्रित", "pa", "UR"]) == ["mixed", "pa", "ur"]


@pytest.mark.parametrize(("kind", "value"), [("platforms", "myspace"), ("platforms", "tweet"),
                                             ("langs", "klingon"), ("langs", "hin"), ("langs", "hi_IN")])
def test_unknown_values_are_an_input_error_listing_what_exists(kind: str, value: str) -> None:
    with pytest.raises(InputError) as refused:
        build_query(**{kind: [value]})
    said = str(refused.value)
    if kind == "platforms":
        assert said.startswith(f"unknown platform {value!r}: use one of news, x (twitter), youtube")
    else:
        assert said.startswith(f"unknown language {value!r}: use one of hi, en, hi-Latn, mixed")
        assert "हिंदी" in said


def test_the_language_list_holds_every_tag_the_tagger_writes() -> None:
    from lingua import Language

    from nlp import language

    written = {"hi", "en", "hi-Latn", "mixed"} | {code for _, code in language._OTHER_SCRIPTS}
    lingua = re.findall(r"Language\.([A-Z]+)", inspect.getsource(language._lingua_detector))
    written |= {getattr(Language, name).iso_code_639_1.name.lower() for name in lingua}
    assert written == set(LANGS)
    assert language.detect_language("ਹਰਿਆਣਾ ਦੇ ਕਿਸਾਨਾਂ ਨੇ ਧਰਨਾ ਦਿੱਤਾ") in LANGS


MENTIONS = [
    Mention(id=f"v{n}", platform=platform, lang=lang, text=text, published_at=datetime(2026, 3, n, tzinfo=IST))
    for n, (platform, lang, text) in enumerate([
        (Platform.x, "hi", "हिसार में धरना"),
        (Platform.news, "hi", "रोहतक में शिविर"),
        (Platform.news, "en", "Camp in Karnal"),
        (Platform.youtube, "hi-Latn", "Sirsa mein dharna jaari hai"),
    ], start=1)
]


@pytest.fixture(params=BACKENDS)
def store(request, open_backend):  # noqa: F811
    opened = open_backend(request.param)
    assert not opened.upsert(MENTIONS).failed
    opened.refresh()
    return opened


def found(store, **typed: list[str]) -> list[str]:
    return sorted(hit.mention.id for hit in store.search(build_query(**typed)).hits)


def test_typed_values_find_what_the_stored_tags_find(store) -> None:
    assert found(store, platforms=["Twitter"]) == found(store, platforms=["x"]) == ["v1"]
    assert found(store, platforms=["NEWS"]) == ["v2", "v3"]
    assert found(store, langs=["HINDI"]) == found(store, langs=["hi"]) == ["v1", "v2"]
    assert found(store, langs=["hi-latn"]) == ["v4"]
    assert found(store, platforms=["News", "YouTube"], langs=["English", "रोमन हिंदी"]) == ["v3", "v4"]


def test_a_rule_takes_the_same_values_and_refuses_unknown_ones() -> None:
    rule = parse_rule({"name": "posts", "platforms": "Twitter", "langs": ["Hindi", "HI-LATN"]})
    assert (rule.platforms, rule.langs) == ([Platform.x], ["hi", "hi-Latn"])
    with pytest.raises(InputError, match=r"^invalid rule: langs: unknown language 'klingon': use one of hi, en"):
        parse_rule({"name": "k", "langs": ["klingon"]})
    with pytest.raises(InputError, match=r"^invalid rule: platforms: unknown platform 'myspace'"):
        parse_rule({"name": "m", "platforms": ["myspace"]})


def test_a_rule_stored_before_languages_were_checked_still_loads(tmp_path: Path) -> None:
    # such a rule was accepted then; refusing it on reading would stop every rule of the store from running
    old = AlertRule.model_validate({"name": "old", "langs": ["klingon"]}, context=STORED).with_id()
    with open_store(f"sqlite:///{tmp_path / 'j.db'}") as mentions, open_alert_state(mentions) as state:
        state.add_rule(old)
        state.add_rule(parse_rule({"name": "new", "langs": "hindi"}))
        assert [(r.name, r.langs) for r in state.rules()] == [("old", ["klingon"]), ("new", ["hi"])]
