"""The demo: the sample site served on 127.0.0.1 is crawled through the whole pipeline into the store."""

from __future__ import annotations

import json

from janmat.demo.run import run_demo
from janmat.demo.server import SITE_DIR, SiteServer


def test_demo_stores_every_sample_article_once_and_a_rerun_updates_instead_of_duplicating(tmp_path) -> None:
    manifest = json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))
    store_url = f"sqlite:///{tmp_path / 'demo.db'}"

    first = run_demo(store_url, progress=False)
    assert first.total == len(manifest) >= 20
    assert first.with_district >= 5 and first.with_scheme >= 3
    assert sum(count for _, count in first.counts["lang"]) == first.total
    assert {lang for lang, _ in first.counts["lang"]} == {entry["lang"] for entry in manifest}
    for entry in manifest:
        assert first.fetched_paths.get(entry["path"]) == 1, entry["path"]
    assert not any(path.startswith(("/private/", "/amp/")) for path in first.fetched_paths)  # robots.txt, AMP dedup
    assert first.seconds < 60

    second = run_demo(store_url, progress=False)
    assert second.total == first.total


def test_demo_server_fills_the_base_url_placeholder_and_answers_conditional_gets() -> None:
    import urllib.error
    import urllib.request

    with SiteServer() as server:
        with urllib.request.urlopen(f"{server.base_url}/rss/haryana.xml") as response:
            body = response.read().decode("utf-8")
            etag = response.headers["ETag"]
        assert "{{BASE_URL}}" not in body and f"{server.base_url}/haryana/" in body
        request = urllib.request.Request(f"{server.base_url}/rss/haryana.xml", headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(request)
            raise AssertionError("expected 304 Not Modified")
        except urllib.error.HTTPError as answer:
            assert answer.code == 304
        with urllib.request.urlopen(f"{server.base_url}/haryana/") as response:
            assert b"<html" in response.read()[:500].lower()
        try:
            urllib.request.urlopen(f"{server.base_url}/../../etc/passwd")
            raise AssertionError("expected 404")
        except urllib.error.HTTPError as answer:
            assert answer.code == 404
        assert server.hits["/rss/haryana.xml"] == 2
