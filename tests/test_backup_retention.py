"""``janmat backup`` / ``janmat restore`` on SQLite and ``janmat retention apply`` on all three real stores."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from janmat.cli.app import app
from janmat.core.errors import InputError
from janmat.core.mention import DistrictTag, Mention, SchemeTag, Source, mention_id_for_url
from janmat.store import MentionQuery, MentionStore, open_store
from janmat.store.engine import EngineStore
from janmat.store.retention import WARM_DAYS, apply_retention, lifecycle_policy, parse_age
from tests.store_backends import open_backend  # noqa: F401  (fixture)

NOW = datetime.now(UTC)
TEXTS = ["करनाल में फसल बीमा योजना के दावे अटके", "Rohtak mein paani ki killat, log pareshan",
         "पानीपत में नई सड़क का उद्घाटन", "Hisar: Ayushman card camp draws crowds"]


def mention(n: int, published: datetime | None, text: str = "") -> Mention:
    """A stored story; every other one carries scheme and district tags, as tagged news does."""
    url = f"https://news.example.in/haryana/story-{n}.html"
    tags = {"schemes": [SchemeTag(id="chirayu_haryana"), SchemeTag(id="pm_kisan")],
            "districts": [DistrictTag(name="Hisar")]} if n % 2 else {}
    return Mention(id=mention_id_for_url(url), url=url, title=f"खबर {n}", text=text or TEXTS[n % len(TEXTS)],
                   source=Source(name="Example", domain="news.example.in"), published_at=published,
                   fetched_at=published or NOW, **tags)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def ids(store: MentionStore, text: str) -> list[str]:
    return [hit.mention.id for hit in store.search(MentionQuery(text=text, limit=50)).hits]


def test_backup_then_restore_answers_the_same_search(tmp_path: Path):
    source_url = f"sqlite:///{tmp_path / 'live.db'}"
    with open_store(source_url) as live:
        live.upsert([mention(n, NOW - timedelta(days=n)) for n in range(40)])
        before = {query: ids(live, query) for query in ("करनाल", "paani", "Ayushman")}
        assert all(before.values())
        # the store stays open (as under a running monitor) while the backup is taken
        code, output = invoke("backup", str(tmp_path / "copy.db"), "--store", source_url)
    assert code == 0, output
    assert "40" in output
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.db"]  # no partial files left

    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    code, output = invoke("restore", str(tmp_path / "copy.db"), "--store", restored_url)
    assert code == 0, output
    with open_store(restored_url) as restored:
        assert restored.count(MentionQuery()) == 40
        assert {query: ids(restored, query) for query in before} == before
        assert restored.count(MentionQuery(schemes=["chirayu_haryana"])) == 20


def test_restore_refuses_to_overwrite_a_store_or_read_a_bad_file(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    with open_store(url) as live:
        live.upsert([mention(n, NOW) for n in range(3)])
    assert invoke("backup", str(tmp_path / "b.db"), "--store", url)[0] == 0
    code, output = invoke("backup", str(tmp_path / "b.db"), "--store", url)
    assert code != 0 and "--force" in output

    code, output = invoke("restore", str(tmp_path / "b.db"), "--store", url)
    assert code != 0 and "--force" in output and "Traceback" not in output
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    code, output = invoke("restore", str(junk), "--store", f"sqlite:///{tmp_path / 'other.db'}")
    assert code != 0 and "not a Janmat SQLite store" in output and "Traceback" not in output
    with open_store(url) as live:
        assert live.count(MentionQuery()) == 3  # nothing lost by the refusals


@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
def test_engine_backup_points_to_snapshots(kind: str, open_backend: Callable[[str], MentionStore],  # noqa: F811
                                           tmp_path: Path):
    store = open_backend(kind)
    code, output = invoke("backup", str(tmp_path / "x.db"), "--store", store.url)
    assert code != 0
    assert "snapshot" in output and "Traceback" not in output
    assert not (tmp_path / "x.db").exists()


def test_parse_age_accepts_days_weeks_years_and_refuses_the_rest():
    assert parse_age("30d") == timedelta(days=30)
    assert parse_age("2w") == timedelta(days=14)
    assert parse_age("1y") == timedelta(days=365)
    for bad in ("0d", "", "12", "3 months", "-1d"):
        with pytest.raises(InputError, match="bad age"):
            parse_age(bad)


def test_sqlite_retention_dry_run_then_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from janmat.core.settings import get_settings

    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url) as store:
        store.upsert([mention(n, NOW - timedelta(days=100 + n)) for n in range(5)]  # 100-104 days old
                     + [mention(10 + n, NOW - timedelta(days=n)) for n in range(3)]
                     + [mention(20, None)])  # undated, fetched now
    monkeypatch.setenv("JANMAT_RETENTION_MAX_AGE_DAYS", "90")
    get_settings.cache_clear()

    code, output = invoke("retention", "apply", "--dry-run", "--json", "--store", url)
    assert code == 0, output
    assert json.loads(output)["mentions"] == 5
    with open_store(url) as store:
        assert store.count(MentionQuery()) == 9

    code, output = invoke("retention", "apply", "--store", url)  # the limit comes from the setting
    assert code == 0 and "5" in output
    with open_store(url) as store:
        assert store.count(MentionQuery()) == 4
        assert all(hit.mention.published_at is None or hit.mention.published_at > NOW - timedelta(days=90)
                   for hit in store.search(MentionQuery(limit=50)).hits)
    db = sqlite3.connect(tmp_path / "r.db")
    assert db.execute("SELECT COUNT(*) FROM mention_terms").fetchone()[0] == 4  # no orphaned search rows
    db.close()

    code, output = invoke("retention", "apply", "--older-than", "three months", "--store", url)
    assert code != 0 and "bad age" in output


def _policy_age(store: EngineStore) -> str | None:
    answer = store.client.request("GET", store.client.lifecycle_policy_path(store.names.policy))
    if store.kind == "elasticsearch":
        return answer[store.names.policy]["policy"]["phases"]["delete"]["min_age"]
    for state in answer["policy"]["states"]:
        for transition in state.get("transitions", []):
            if transition["state_name"] == "delete":
                return transition["conditions"]["min_index_age"]
    return None


def _managed_by(store: EngineStore, index: str) -> str | None:
    if store.kind == "elasticsearch":
        answer = store.client.request("GET", f"/{index}/_settings")
        return answer[index]["settings"]["index"].get("lifecycle", {}).get("name")
    answer = store.client.request("GET", f"/_plugins/_ism/explain/{index}")
    return answer[index].get("index.plugins.index_state_management.policy_id")


@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
def test_engine_retention_deletes_old_months_and_attaches_the_age_policy(
        kind: str, open_backend: Callable[[str], MentionStore]):  # noqa: F811
    store = open_backend(kind)
    assert isinstance(store, EngineStore)
    old = [mention(n, NOW - timedelta(days=800 + n)) for n in range(3)]
    recent = [mention(10 + n, NOW - timedelta(days=n)) for n in range(4)]
    store.upsert(old + recent)
    store.refresh()
    indices = store.alias_indices()
    assert len(indices) >= 2

    code, output = invoke("retention", "apply", "--older-than", "400d", "--dry-run", "--json", "--store", store.url)
    assert code == 0, output
    assert json.loads(output)["mentions"] == 3 and len(json.loads(output)["indices"]) == 1
    dry = apply_retention(store, timedelta(days=400), dry_run=True)
    assert dry.deleted_mentions == 3 and len(dry.deleted_indices) == 1
    assert store.alias_indices() == indices and store.count(MentionQuery()) == 7

    report = apply_retention(store, timedelta(days=400))
    assert report.deleted_mentions == 3 and report.deleted_indices == dry.deleted_indices
    store.refresh()
    assert store.count(MentionQuery()) == 4
    kept = store.alias_indices()
    assert dry.deleted_indices[0] not in kept and len(kept) == len(indices) - 1
    again = apply_retention(store, timedelta(days=400))
    assert again.deleted_mentions == 0 and again.deleted_indices == []
    if not store.features.lifecycle:
        # the test nodes are built from Maven Central without ISM / ILM: said in the report, months still go
        assert report.policy.startswith(f"no {'ILM' if kind == 'elasticsearch' else 'ISM'} on this engine")
        assert report.attached == []
        return
    assert report.policy in ("installed", "unchanged")
    assert _policy_age(store) == "400d"
    assert all(_managed_by(store, index) == store.names.policy for index in kept)
    assert again.policy == "unchanged" and again.attached == []
    shorter = apply_retention(store, timedelta(days=30))
    assert shorter.policy == "installed"
    assert _policy_age(store) == "30d"


@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
@pytest.mark.parametrize("days", [30, 400])
def test_lifecycle_policy_deletes_at_the_limit(kind: str, days: int):
    from janmat.store.templates import EngineFeatures, IndexNames, IndexTemplates

    features = EngineFeatures(kind=kind, version="2.19.0" if kind == "opensearch" else "8.15.0", lifecycle=True)
    body = lifecycle_policy(IndexTemplates.load(), features, IndexNames(prefix="janmat"), timedelta(days=days))
    assert body is not None
    policy = body["policy"]
    if kind == "elasticsearch":
        assert policy["phases"]["delete"]["min_age"] == f"{days}d"
        assert ("warm" in policy["phases"]) == (days > WARM_DAYS)
        return
    ages = [transition["conditions"]["min_index_age"] for state in policy["states"]
            for transition in state.get("transitions", []) if transition["state_name"] == "delete"]
    assert ages == [f"{days}d"]
    assert ("warm" in {state["name"] for state in policy["states"]}) == (days > WARM_DAYS)
    assert not lifecycle_policy(IndexTemplates.load(), EngineFeatures(kind=kind, version="1", lifecycle=False),
                                IndexNames(prefix="janmat"), timedelta(days=days))
