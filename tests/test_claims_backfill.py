"""A claim added after the mentions that restate it: ``janmat claims add`` marks the stored mentions of the last
``--backfill-days`` days as the misinformation tagger would have at ingest, on every backend.

Every text here is written for these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from janmat.core.mention import Mention, Source
from janmat.store import MentionStore
from janmat.store.base import UpsertReport
from janmat.store.claims import analyst_claim
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_backfill import backfill_claims, window
from nlp.misinformation import MisinformationComponent
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture

Opener = Callable[[str], MentionStore]
NOW = datetime.now(UTC).replace(microsecond=0)
CLAIM = {"id": "pension-band", "status": "false", "url": "https://factcheck.example.in/pension-band", "lang": "hi",
         "text": "हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से हमेशा के लिए बंद कर दी है, अब बुजुर्गों को 3000 रुपये "
                 "नहीं मिलेंगे"}
HINDI = "m-hindi"
ROMAN = "m-roman"
OTHER = "m-other"
DEBUNK = "m-debunk"
OLD = "m-old"
MENTIONS = [
    {"id": HINDI, "published_at": (NOW - timedelta(days=3)).isoformat(), "url": "https://samachar.example.in/a",
     "text": "गांवों में संदेश फैल रहा है कि हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से बंद कर दी है और बुजुर्गों को अब "
             "3000 रुपये नहीं मिलेंगे।"},
    {"id": ROMAN, "published_at": (NOW - timedelta(days=2)).isoformat(), "platform": "x", "source": "@gaon_ki_baat",
     "text": "Suna hai Haryana sarkar ne budhapa pension 1 April se band kar di, buzurgon ko ab 3000 rupaye nahi "
             "milenge."},
    {"id": OTHER, "published_at": (NOW - timedelta(days=1)).isoformat(), "url": "https://samachar.example.in/c",
     "text": "हिसार में नई सड़क का उद्घाटन हुआ, विधायक ने कहा कि बाकी काम भी समय पर पूरा होगा।"},
    {"id": DEBUNK, "published_at": (NOW - timedelta(days=1)).isoformat(), "url": "https://samachar.example.in/d",
     "text": "फैक्ट चेक: बुढ़ापा पेंशन 1 अप्रैल से बंद होने का दावा फर्जी है, हरियाणा सरकार ने 3000 रुपये की पेंशन बंद "
             "नहीं की।"},
    {"id": OLD, "published_at": (NOW - timedelta(days=40)).isoformat(), "url": "https://samachar.example.in/e",
     "text": "हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से बंद कर दी, बुजुर्गों को अब 3000 रुपये नहीं मिलेंगे।"},
]


def janmat(store: MentionStore, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``janmat ARGS --store URL`` in a child process (the engine prefix and data dir come from the environment)."""
    return subprocess.run([sys.executable, "-m", "janmat", *args, "--store", store.url], capture_output=True,
                          text=True, env={**os.environ}, cwd=cwd, timeout=300)


def ingested(open_backend: Opener, kind: str, tmp_path: Path) -> MentionStore:  # noqa: F811
    """A fresh store of ``kind`` holding the mentions, ingested through ``janmat ingest`` (no claims known yet)."""
    store = open_backend(kind)
    rows = tmp_path / "mentions.jsonl"
    rows.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in MENTIONS), encoding="utf-8")
    done = janmat(store, "ingest", str(rows), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    store.refresh()
    return store


def claim_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(CLAIM, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def matched(store: MentionStore, mention_id: str) -> list[str]:
    found = store.get(mention_id)
    assert found is not None
    return [match.claim_id for match in found.misinformation.matched_claims]


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_claim_added_later_marks_the_stored_mentions_that_restate_it(
        open_backend: Opener, kind: str, tmp_path: Path) -> None:  # noqa: F811
    store = ingested(open_backend, kind, tmp_path)
    before = {mention_id: store.get(mention_id) for mention_id in (HINDI, ROMAN, OTHER, DEBUNK, OLD)}
    assert not any(mention.misinformation.matched_claims for mention in before.values())

    added = janmat(store, "claims", "add", str(claim_file(tmp_path)), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert ("claim pension-band: 2 stored mentions restate it (last 30 days); 1 fact-checks or rebuttals match it"
            in added.stdout), added.stdout
    store.refresh()

    assert matched(store, HINDI) == matched(store, ROMAN) == ["pension-band"]
    assert matched(store, OTHER) == [], "unrelated news stays unmatched"
    assert matched(store, OLD) == [], "older than the window: left as stored"
    assert matched(store, DEBUNK) == ["pension-band"]
    # exactly the fields the tagger sets at ingest once the claim is known
    claims = claim_store_for(store)
    tagger = MisinformationComponent(claims=claims)
    for mention_id in (HINDI, ROMAN, OTHER, DEBUNK):
        expected = before[mention_id].model_copy(deep=True)
        tagger.tag_many([expected])
        assert store.get(mention_id).misinformation == expected.misinformation, mention_id
    hindi = store.get(HINDI).misinformation
    assert hindi.flagged and hindi.kinds[0] == "matched" and "claim:pension-band" in hindi.flags
    assert (hindi.matched_claims[0].url, hindi.matched_claims[0].status) == (CLAIM["url"], "false")
    assert store.get(DEBUNK).misinformation.kinds == ["matched", "debunk"], "a rebuttal keeps its debunk kind"

    shown = janmat(store, "claims", "show", "pension-band", "--json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    track = json.loads(shown.stdout)
    assert track["mentions"] >= 2
    assert {item["kind"] for item in track["rebuttals"]} == {"claim", "debunk"}
    assert {seen.mention.id for seen in claims.sightings(["pension-band"])} >= {HINDI, ROMAN}

    again = janmat(store, "claims", "add", str(claim_file(tmp_path)), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 updated" in again.stdout.splitlines()[-1], "a claim added again changes nothing"


@pytest.mark.parametrize("kind", BACKENDS)
def test_backfill_days_0_leaves_the_stored_mentions_alone(
        open_backend: Opener, kind: str, tmp_path: Path) -> None:  # noqa: F811
    store = ingested(open_backend, kind, tmp_path)
    added = janmat(store, "claims", "add", str(claim_file(tmp_path)), "--backfill-days", "0", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "restate" not in added.stdout
    store.refresh()
    assert matched(store, HINDI) == matched(store, ROMAN) == []
    shown = janmat(store, "claims", "show", "pension-band", cwd=tmp_path)
    assert "No stored mention repeats this claim yet." in shown.stdout


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_mention_that_cannot_be_written_back_is_counted_and_fails_the_command(
        open_backend: Opener, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from janmat.cli.app import app

    store = ingested(open_backend, kind, tmp_path)
    real = type(store).upsert

    def refuse_roman(self: MentionStore, mentions: list[Mention]) -> UpsertReport:
        batch = list(mentions)
        report = real(self, [mention for mention in batch if mention.id != ROMAN])
        report.failed.update({mention.id: "disk full" for mention in batch if mention.id == ROMAN})
        return report

    monkeypatch.setattr(type(store), "upsert", refuse_roman)
    report = backfill_claims(claim_store_for(store), [], days=30)
    assert report.failed == {}, "no claims: nothing read"
    claims = claim_store_for(store)
    claims.upsert([analyst_claim(CLAIM)])
    report = backfill_claims(claims, [CLAIM["id"]], days=30)
    assert report.failed == {ROMAN: "disk full"} and report.matched[CLAIM["id"]] == 2

    result = CliRunner().invoke(app, ["claims", "add", str(claim_file(tmp_path)), "--store", store.url])
    assert result.exit_code == 1, result.output


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_window_is_read_page_by_page_each_mention_once(open_backend: Opener, kind: str) -> None:  # noqa: F811
    store = open_backend(kind)
    start = NOW - timedelta(days=1)
    at = [start + timedelta(seconds=s) for s in (0, 5, 5, 5, 5, 5, 9, 12)] + [start - timedelta(days=2)]
    store.upsert([Mention(id=f"w{number}", text=f"समाचार {number}", source=Source(name="x"), published_at=moment)
                  for number, moment in enumerate(at)])
    store.refresh()
    pages = list(window(store, start, page=2))
    read = [mention.id for page in pages for mention in page]
    assert sorted(read) == [f"w{number}" for number in range(8)] and len(read) == len(set(read))


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_mention_an_analyst_cleared_stays_unflagged(open_backend: Opener, kind: str) -> None:  # noqa: F811
    from janmat.core.mention import Correction

    store = open_backend(kind)
    cleared = Mention(id="cleared", text=MENTIONS[0]["text"], source=Source(name="x"), published_at=NOW,
                      corrections=[Correction(field="misinformation", by="analyst", at=NOW, misinformation=False)])
    store.upsert([cleared])
    store.refresh()
    claims = claim_store_for(store)
    claims.upsert([analyst_claim(CLAIM)])
    report = backfill_claims(claims, [CLAIM["id"]], days=30)
    store.refresh()
    assert report.analyst_kept == 1 and report.matched[CLAIM["id"]] == 0
    kept = store.get("cleared").misinformation
    assert [m.claim_id for m in kept.matched_claims] == [CLAIM["id"]] and not kept.flagged
    assert claims.sightings([CLAIM["id"]]) == []


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_claim_added_on_the_web_marks_the_stored_mentions_too(
        open_backend: Opener, kind: str, tmp_path: Path) -> None:  # noqa: F811
    import time

    import httpx

    from janmat.core.settings import JanmatSettings, WebSettings, WebUser
    from janmat.web.auth import hash_password
    from tests.web_server import serve_app

    store = ingested(open_backend, kind, tmp_path)
    users = {"asha": WebUser(password_hash=hash_password("admin-pass"), role="admin")}
    with serve_app(store, settings=JanmatSettings(web=WebSettings(users=users))) as url, \
            httpx.Client(base_url=url, auth=("asha", "admin-pass"), timeout=60) as client:
        added = client.post("/api/claims", json=CLAIM)
        assert added.status_code == 200, added.text
        deadline = time.monotonic() + 60  # the backfill runs after the response
        while time.monotonic() < deadline:
            store.refresh()
            if matched(store, HINDI) and matched(store, ROMAN):
                break
            time.sleep(0.2)
        assert matched(store, HINDI) == matched(store, ROMAN) == ["pension-band"]
        assert matched(store, OTHER) == [] and matched(store, OLD) == []
        track = client.get("/api/claims/pension-band").json()
        assert {item["id"] for item in track["items"]} >= {HINDI, ROMAN}
