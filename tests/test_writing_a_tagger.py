"""``docs/writing-a-tagger.md`` is true: its example tagger, saved as a module and switched on by the page's own
settings lines, runs in a real Enricher and shapes the ``janmat tag`` row."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import nlp.tagger
from janmat.core.mention import Mention
from nlp.enrich import Enricher, tag_record

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "writing-a-tagger.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), flags=re.S | re.M)


@pytest.fixture
def guide_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The page's module saved under the name its settings import, and its ``export`` lines applied."""
    (example,) = _blocks("python")
    (shell,) = _blocks("sh")
    settings = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in shell.splitlines())
    (module,) = re.findall(r'"(\w+)"', settings["JANMAT_NLP_TAGGER_MODULES"])
    (tmp_path / f"{module}.py").write_text(example, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    yield settings
    # the example's tagger goes with its temporary module
    nlp.tagger._REGISTRY.pop("helpline", None)
    sys.modules.pop(module, None)


def test_the_guide_example_tags_helpline_numbers_in_a_real_enricher(guide_settings: dict[str, str]):
    enricher = Enricher()
    assert [tagger.name for tagger in enricher.taggers][-1] == "helpline"
    notice = Mention(id="n", title="किसानों के लिए नई हेल्पलाइन",
                     text="करनाल में कृषि विभाग ने बताया कि किसान टोल फ्री नंबर 1800-180-1551 पर फोन करें। "
                          "बिजली की शिकायत के लिए हेल्पलाइन नंबर १९१२ है।")
    plain = Mention(id="p", text="Hisar mandi sees record wheat arrivals this week.")
    enricher.enrich_many([notice, plain])
    assert notice.meta["helplines"] == ["18001801551", "1912"]
    assert notice.district_keys == ["Karnal"]  # the default taggers still ran
    assert plain.meta["helplines"] == []
    row = tag_record(notice)
    assert list(row) == ["id", "lang", "districts", "schemes", "scheme_candidates", "sentiment", "sentiment_score",
                         "misinformation", "misinformation_kinds", "matched_claims", "helplines", "near_dup_cluster"]
    assert row["helplines"] == ["18001801551", "1912"]


def test_the_guide_quotes_the_error_the_enricher_gives():
    from janmat.core.errors import ConfigError

    (quoted,) = _blocks("text")
    with pytest.raises(ConfigError) as caught:
        Enricher(["language", "schemes", "districts"])
    assert str(caught.value) == quoted.strip()
