"""The alert contract on every backend: the same rules match the same mentions (OpenSearch through its percolator,
SQLite and Elasticsearch in process), rules are kept with the data, and the fired-alert ledger fires an alert once
and holds cool-downs the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from janmat.alerts.ledger import Claim, MemoryLedger
from janmat.alerts.model import Alert
from janmat.alerts.rules import AlertRule, parse_rule
from janmat.alerts.state_engine import EngineAlertState
from janmat.alerts.storage import open_alert_state
from janmat.core.mention import IST, Mention, Platform
from nlp.enrich import get_enricher
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture

WHEN = datetime(2026, 11, 20, 11, 0, tzinfo=IST)
TEXTS = [
    ("news", "हिसार में चिरायु कार्ड से इलाज नहीं हो रहा, निजी अस्पतालों ने मरीज़ लौटाए"),
    ("x", "Hisar mein Chirayu card se ilaaj nahi ho raha, bahut pareshani"),
    ("facebook", "hisar ke hospital ne chirayu yojana ka card mana kar diya"),
    ("news", "Rohtak: PM Kisan installment reaches 40,000 farmers, officials say"),
    ("news", "रोहतक में पीएम किसान की किस्त से किसानों में खुशी"),
    ("x", "गुड़गांव में जलभराव, सड़कें डूबीं, लोग परेशान"),
    ("news", "करनाल में मेरी फसल मेरा ब्यौरा पोर्टल पर पंजीकरण की आखिरी तारीख बढ़ी"),
    ("facebook", "सिरसा में किसानों का धरना जारी, मुआवज़े की मांग"),
    ("news", "वायरल संदेश झूठा: आयुष्मान कार्ड बंद होने की खबर अफवाह है, फॉरवर्ड न करें"),
    ("x", "सभी किसान भाई ध्यान दें, कल से नया नियम लागू, यह संदेश सभी ग्रुप में भेजें"),
]
RULES = [
    {"name": "चिरायु हिसार नकारात्मक", "districts": ["हिसार"], "schemes": ["चिरायु हरियाणा"], "sentiment": "negative"},
    {"name": "Chirayu anywhere", "schemes": ["Chirayu Haryana"]},
    {"name": "phrase", "query": '"चिरायु कार्ड"'},
    {"name": "OR and minus", "query": "किसान OR kisan -खुशी"},
    {"name": "Gurgaon by its old name", "districts": ["Gurgaon"]},
    {"name": "posts only", "platforms": ["x", "facebook"], "langs": ["hi", "hi-Latn"]},
    {"name": "flagged", "misinformation": True},
    {"name": "not flagged, English", "misinformation": False, "langs": "en"},
    {"name": "everything"},
    {"name": "nothing", "query": "कोलकाता"},
]


def mentions() -> list[Mention]:
    found = [Mention(id=f"m{n}", platform=Platform(platform), text=text, published_at=WHEN + timedelta(minutes=n),
                     url=f"https://news.example.in/{n}.html" if platform == "news" else None)
             for n, (platform, text) in enumerate(TEXTS)]
    return get_enricher().enrich_many(found)


@pytest.fixture(scope="module")
def tagged() -> list[Mention]:
    return mentions()


def matches(backend: str, open_backend, tagged: list[Mention]) -> tuple[dict[str, list[str]], dict[str, list[str]],  # noqa: F811
                                                                       list[AlertRule]]:
    """What each rule matches through the backend's evaluation, and what a search of the rule finds."""
    store = open_backend(backend)
    store.upsert(tagged)
    store.refresh()
    with open_alert_state(store) as state:
        stored = [state.add_rule(parse_rule(rule)) for rule in RULES]
        if backend == "opensearch":
            assert isinstance(state, EngineAlertState) and state.percolator
        if backend == "elasticsearch":
            assert isinstance(state, EngineAlertState) and not state.percolator
        evaluated = state.match(state.rules(), tagged)
        kept = state.rules()
    by_rule = {rule.name: sorted(m.id for m in evaluated.get(rule.id, [])) for rule in stored}
    searched = {rule.name: sorted(hit.mention.id for hit in store.search(rule.mention_query(limit=100)).hits)
                for rule in stored}
    return by_rule, searched, kept


@pytest.mark.engine
def test_the_same_rules_match_the_same_mentions_on_every_backend(open_backend, tagged) -> None:  # noqa: F811
    results = {backend: matches(backend, open_backend, tagged) for backend in BACKENDS}
    sqlite, _, kept = results["sqlite"]
    for backend in BACKENDS:
        by_rule, searched, stored = results[backend]
        assert by_rule == sqlite, backend
        assert searched == by_rule, backend  # evaluation and a search of the rule agree
        assert [rule.id for rule in stored] == [rule.id for rule in kept]
    assert sqlite["चिरायु हिसार नकारात्मक"] and set(sqlite["चिरायु हिसार नकारात्मक"]) <= {"m0", "m1", "m2"}
    assert sqlite["phrase"] == ["m0"]
    assert sqlite["Gurgaon by its old name"] == ["m5"]
    assert "m4" not in sqlite["OR and minus"] and "m3" in sqlite["OR and minus"]
    assert sqlite["everything"] == [f"m{n}" for n in range(len(TEXTS))]
    assert sqlite["nothing"] == []
    assert sqlite["flagged"] and not set(sqlite["flagged"]) & set(sqlite["not flagged, English"])


def alert(number: int, rule: str = "r1", cluster: str | None = None, at: datetime | None = None) -> Alert:
    start = at or datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
    return Alert(id=f"a{number}", rule_id=rule, rule_name=rule, kind="spike", district="Hisar", cluster=cluster,
                 window_start=start, window_end=start + timedelta(hours=1), count=9, fired_at=start)


def ledger_decisions(ledger) -> list[bool]:
    hour = 3600.0
    base = datetime(2026, 11, 20, 5, 0, tzinfo=UTC).timestamp()
    claims = [
        Claim(alert(1), "Hisar|", base, 3 * hour),
        Claim(alert(1), "Hisar|", base, 3 * hour),                     # the same alert again: refused
        Claim(alert(2), "Hisar|", base + 2 * hour, 3 * hour),          # same series within the cool-down
        Claim(alert(3), "Rohtak|", base + 2 * hour, 3 * hour),         # another series
        Claim(alert(4, "r2"), "Hisar|", base + hour, 3 * hour),        # another rule
        Claim(alert(5), "Hisar|", base + 4 * hour, 3 * hour),          # after the cool-down
        Claim(alert(6, "q", "story"), "", base, 60.0, 24 * hour),      # a standing query and its story
        Claim(alert(7, "q", "story"), "", base + 2 * hour, 60.0, 24 * hour),   # same story within a day
        Claim(alert(8, "q", "other"), "", base + 2 * hour, 60.0, 24 * hour),   # another story
    ]
    return [ledger.claim(claim) for claim in claims]


@pytest.mark.engine
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_ledger_fires_once_and_holds_cooldowns_like_the_backtest(backend, open_backend) -> None:  # noqa: F811
    expected = ledger_decisions(MemoryLedger())
    assert expected == [True, False, False, True, True, True, True, False, True]
    store = open_backend(backend)
    with open_alert_state(store) as state:
        assert ledger_decisions(state) == expected
        assert len(state.unsettled()) == 6
        first = state.fired()[-1]
        state.settle(first.model_copy(update={"reason": "settled"}))
        assert len(state.unsettled()) == 5
        assert [a.id for a in state.fired(limit=3)] == [a.id for a in sorted(
            state.fired(), key=lambda a: a.fired_at, reverse=True)][:3]
    with open_alert_state(store) as again:  # another process sees the same record
        assert not again.claim(Claim(alert(1), "Hisar|", 0.0, 1.0))
        assert next(a for a in again.fired() if a.id == first.id).reason == "settled"


@pytest.mark.engine
@pytest.mark.parametrize("backend", BACKENDS)
def test_rules_are_kept_with_the_data_and_removed(backend, open_backend) -> None:  # noqa: F811
    store = open_backend(backend)
    rule = parse_rule({"name": "हिसार", "districts": "Hisar", "cooldown": "30m"})
    with open_alert_state(store) as state:
        assert state.add_rule(rule).id == rule.id
        assert state.add_rule(rule).id == rule.id  # adding it again changes nothing
        assert [r.id for r in state.rules()] == [rule.id]
        assert state.get_rule(rule.id) == rule
    with open_alert_state(store) as state:
        assert state.remove_rule(rule.id) and not state.remove_rule(rule.id)
        assert state.rules() == [] and state.get_rule(rule.id) is None
