"""Any input ends in a result or a one-line error: dates, queries, URLs, normalisation, rows, and the API."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from janmat.core.errors import InputError
from janmat.core.mention import IST, Mention
from janmat.core.rows import iter_jsonl, mention_from_row
from janmat.core.urls import canonical_url
from janmat.store import open_store
from janmat.store.filters import build_query, parse_when
from janmat.store.query_parser import parse_query
from nlp.normalize import normalize_text
from tests.web_server import serve_app

# Text that mixes Devanagari (with nukta, chandrabindu, joiners, digits), Latin, digits and punctuation.
HINDI_ISH = st.text(
    alphabet=st.sampled_from(list("हिसारकिसानोंपेंशनड़ँं़्\u200c\u200d०१२३४५६७८९ abcXYZ0123456789-\"'!?.,:/()ORd")),
    max_size=40,
)
ANY_TEXT = st.one_of(HINDI_ISH, st.text(max_size=60))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_a_date_filter_is_a_time_or_a_clear_error(value: str) -> None:
    try:
        moment = parse_when(value)
    except InputError as exc:
        assert str(exc).startswith("bad date") and "\n" not in str(exc)
        return
    assert moment is None or moment.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_a_query_parses_or_is_refused_with_a_reason(value: str) -> None:
    try:
        parsed = parse_query(value)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert parsed.is_empty == (not value.strip())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.from_regex(r"(https?|ftp|javascript|data):/{0,3}[a-z.\-]{0,20}[/?#].{0,30}")))
def test_a_url_is_canonical_or_refused(value: str) -> None:
    try:
        url = canonical_url(value)
    except ValueError:
        return
    assert url.startswith(("http://", "https://"))
    assert canonical_url(url) == url  # canonical twice is canonical once


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalisation_is_idempotent(value: str) -> None:
    once = normalize_text(value)
    assert normalize_text(once) == once


ROW_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional={
    key: ROW_VALUES for key in ("id", "text", "title", "url", "published_at", "platform", "source", "author", "lang")
}))
def test_a_row_becomes_a_mention_or_a_reason(row: dict) -> None:
    try:
        mention = mention_from_row(row)
    except (InputError, ValidationError):
        return
    assert isinstance(mention, Mention) and mention.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=8))
def test_a_file_of_arbitrary_bytes_is_read_line_by_line(tmp_path_factory, chunks: list[bytes]) -> None:
    path = tmp_path_factory.mktemp("rows") / "rows.jsonl"
    path.write_bytes(b"\n".join(chunks))
    offsets = []
    for line, row in iter_jsonl(path):
        assert isinstance(row, dict | InputError)
        assert path.read_bytes()[line.offset:line.offset + len(line.raw)] == line.raw
        offsets.append(line.offset)
    assert offsets == sorted(offsets)


def test_bad_utf8_in_the_middle_rejects_one_line_with_its_offset(tmp_path: Path) -> None:
    good = json.dumps({"text": "हिसार में शिविर"}, ensure_ascii=False).encode() + b"\n"
    bad = b'{"text": "\xff\xfe broken"}\n'
    path = tmp_path / "rows.jsonl"
    path.write_bytes(good * 3 + bad + good * 719)
    rows = list(iter_jsonl(path))
    errors = [(line, row) for line, row in rows if isinstance(row, InputError)]
    assert len(rows) == 723 and len(errors) == 1
    line, error = errors[0]
    assert line.number == 4 and line.offset == 3 * len(good)
    assert f"byte {3 * len(good) + 10}" in str(error)  # the first bad byte, counted from the start of the file


@pytest.mark.parametrize(("row", "why"), [
    ({"text": "x", "url": "/relative/path"}, "url"),
    ({"text": "x", "url": "www.example.com/a"}, "url"),
    ({"text": "x", "url": "ftp://example.com/a"}, "url"),
    ({"text": "x", "url": "javascript:alert(1)"}, "url"),
    ({"text": "x", "published_at": "0001-01-01"}, "published_at"),
    ({"text": "x", "published_at": "9999-12-31"}, "published_at"),
    ({"text": "x", "title": ["not", "a", "string"]}, "title"),
    ({"text": 42}, "text"),
])
def test_bad_rows_are_refused_naming_the_field(row: dict, why: str) -> None:
    with pytest.raises(InputError, match=why):
        mention_from_row(row)


def test_an_oversized_text_is_cut_and_the_cut_recorded() -> None:
    mention = Mention(id="big", text="शब्द " * 100_000)
    assert len(mention.text) <= 200_000 and mention.text_truncated_from == 500_000
    assert not mention.text.endswith("श")  # cut at a word boundary, not inside a word


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'a.db'}")
    store.upsert([Mention(id="m1", text="हिसार में पेंशन शिविर", published_at=datetime(2026, 3, 10, tzinfo=IST))])
    with serve_app(store) as url:
        yield url
    store.close()


@pytest.mark.parametrize("params", [
    {"since": "99999999999d"}, {"since": "0001-01-01"}, {"offset": str(10**30)}, {"offset": "-1"},
    {"limit": "0"}, {"limit": "100000"}, {"q": "!!! ..."}, {"q": '"unbalanced'}, {"sentiment": "angry"},
    {"since": "2026-03-02", "until": "2026-03-01"},
])
def test_the_api_answers_bad_input_with_a_400_and_a_reason(api: str, params: dict) -> None:
    reply = httpx.get(f"{api}/api/search", params=params)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]


def test_hindi_labels_and_day_words_are_accepted(api: str) -> None:
    reply = httpx.get(f"{api}/api/search", params={"q": "पेंशन", "since": "2026-03", "until": "आज"})
    assert reply.status_code == 200 and reply.json()["total"] == 1
    assert build_query(sentiments=["नकारात्मक"]).sentiments == ["negative"]
