"""Index templates, lifecycle policies and the standing-queries index, loaded from ``index_templates/`` and
rendered for one index prefix and one engine's features.

The JSON files in ``index_templates/`` are written for the default prefix ``janmat`` and an engine with every
feature; this module renames them for another prefix and takes out what the engine cannot do (Hindi analysis
without analysis-common, lifecycle without ILM/ISM).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from janmat.core.errors import ConfigError
from janmat.core.mention import IST, Mention

TEMPLATES_DIR: Traversable = files("index_templates")
"""The shipped ``index_templates`` package; every reader of its files (templates, saved objects) starts here."""
DEFAULT_PREFIX = "janmat"


@dataclass(frozen=True)
class EngineFeatures:
    """What one engine can do, found by asking it (see ``janmat.store.engine.detect_features``)."""

    kind: str
    version: str | None = None
    hindi_analysis: bool = False
    """The analysis-common module: hindi_stem, indic_normalization, decimal_digit…"""
    lifecycle: bool = False
    """ILM on Elasticsearch, ISM on OpenSearch."""
    reindex: bool = False
    """The reindex module: ``_reindex`` and ``_delete_by_query``."""


@dataclass(frozen=True)
class IndexNames:
    """Every index, alias, template and policy name Janmat uses under one prefix."""

    prefix: str

    @property
    def alias(self) -> str:
        """The read alias over every monthly mention index."""
        return f"{self.prefix}-mentions"

    @property
    def pattern(self) -> str:
        """The index pattern the mention template applies to."""
        return f"{self.prefix}-mentions-*"

    @property
    def template(self) -> str:
        """The composable index template's name."""
        return f"{self.prefix}-mentions"

    @property
    def settings_component(self) -> str:
        """The component template with settings and analysis."""
        return f"{self.prefix}-mentions-settings"

    @property
    def mappings_component(self) -> str:
        """The component template with the mappings."""
        return f"{self.prefix}-mentions-mappings"

    @property
    def policy(self) -> str:
        """The ILM / ISM policy's name."""
        return f"{self.prefix}-mentions"

    @property
    def standing_queries(self) -> str:
        """The percolator index of standing queries."""
        return f"{self.prefix}-standing-queries"

    def month_index(self, month: str, generation: int = 1) -> str:
        """``janmat-mentions-2026.03`` for generation 1, ``janmat-mentions-2026.03-g2`` after a reindex."""
        name = f"{self.prefix}-mentions-{month}"
        return name if generation <= 1 else f"{name}-g{generation}"

    def month_of_index(self, index: str) -> str | None:
        """The ``YYYY.MM`` of one of our monthly index names, or None."""
        stem = index.removeprefix(f"{self.prefix}-mentions-")
        if stem == index or len(stem) < 7:
            return None
        month = stem[:7]
        return month if month[4] == "." and month.replace(".", "").isdigit() else None


def mention_month(mention: Mention) -> str:
    """The ``YYYY.MM`` (IST) a mention's index is chosen by: ``published_at``, else ``fetched_at``."""
    moment = mention.published_at or mention.fetched_at
    return moment.astimezone(IST).strftime("%Y.%m")


def month_start_millis(month: str) -> int:
    """Epoch milliseconds of the first IST instant of a ``YYYY.MM`` month (the ILM origination date)."""
    start = datetime.strptime(month, "%Y.%m").replace(tzinfo=IST)
    return int(start.astimezone(UTC).timestamp() * 1000)


@dataclass
class IndexTemplates:
    """The template files of one ``index_templates/`` folder."""

    settings: dict[str, Any]
    standard_analysis: dict[str, Any]
    mappings: dict[str, Any]
    template: dict[str, Any]
    ilm_policy: dict[str, Any]
    ism_policy: dict[str, Any]
    standing_queries: dict[str, Any]
    folder: Traversable = field(default=TEMPLATES_DIR)

    @classmethod
    def load(cls, folder: Path | Traversable | None = None) -> IndexTemplates:
        """Read the template files; a missing or broken file is a ConfigError naming it."""
        folder = folder or TEMPLATES_DIR

        def read(name: str) -> dict[str, Any]:
            path = folder / name
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot read index template file {path}: {exc}") from exc

        return cls(
            settings=read("mentions-settings.json"),
            standard_analysis=read("mentions-settings.standard-analysis.json"),
            mappings=read("mentions-mappings.json"),
            template=read("mentions-template.json"),
            ilm_policy=read("mentions-ilm-policy.json"),
            ism_policy=read("mentions-ism-policy.json"),
            standing_queries=read("standing-queries-index.json"),
            folder=folder,
        )

    @property
    def version(self) -> int:
        """The template version; raising it in the files and running ``janmat reindex`` rebuilds the indices."""
        return int(self.template["version"])

    @property
    def derived_fields_version(self) -> int:
        """The template version that last added or changed a derived field (``engine_docs.DERIVED_FIELDS``);
        indices from an older version get those fields rebuilt, not copied, by ``janmat reindex``."""
        return int(self.template["_meta"].get("janmat_derived_fields_version", 1))

    def analysis(self, features: EngineFeatures) -> dict[str, Any]:
        """The analysis settings this engine can run."""
        if features.hindi_analysis:
            return copy.deepcopy(self.mappings["template"]["settings"]["analysis"])
        return copy.deepcopy(self.standard_analysis["analysis"])

    def settings_component(self, features: EngineFeatures, names: IndexNames) -> dict[str, Any]:
        """The index-settings component template for this engine."""
        body = copy.deepcopy(self.settings)
        if features.lifecycle and features.kind == "elasticsearch":
            body["template"]["settings"]["index"]["lifecycle"] = {"name": names.policy}
        body["version"] = self.version
        return body

    def mappings_component(self, features: EngineFeatures) -> dict[str, Any]:
        """The analysis-and-mappings component template for this engine."""
        body = copy.deepcopy(self.mappings)
        body["template"]["settings"]["analysis"] = self.analysis(features)
        body["version"] = self.version
        return body

    def index_template(self, names: IndexNames, generation: int) -> dict[str, Any]:
        """The composable index template for monthly indices under ``names.prefix``."""
        body = copy.deepcopy(self.template)
        body["index_patterns"] = [names.pattern]
        body["composed_of"] = [names.settings_component, names.mappings_component]
        body["_meta"]["janmat_generation"] = generation
        body["_meta"]["janmat_template_version"] = self.version
        body["template"]["mappings"]["_meta"] = {"janmat_template_version": self.version}
        return body

    def lifecycle_policy(self, features: EngineFeatures, names: IndexNames) -> dict[str, Any] | None:
        """The ILM (Elasticsearch) or ISM (OpenSearch) policy body, or None when the engine has neither."""
        if not features.lifecycle:
            return None
        if features.kind == "elasticsearch":
            return {"policy": copy.deepcopy(self.ilm_policy)}
        policy = copy.deepcopy(self.ism_policy)
        for rule in policy.get("ism_template", []):
            rule["index_patterns"] = [names.pattern]
        return {"policy": policy}

    def mention_properties(self) -> dict[str, Any]:
        """The mention field mappings (``properties``)."""
        return copy.deepcopy(self.mappings["template"]["mappings"]["properties"])

    def standing_queries_index(self, features: EngineFeatures) -> dict[str, Any]:
        """The percolator index body: its own fields plus every mention field, so queries can name them."""
        body = copy.deepcopy(self.standing_queries)
        body.pop("_meta", None)
        body["settings"]["analysis"] = self.analysis(features)
        properties = self.mention_properties()
        properties.update(body["mappings"]["properties"])
        body["mappings"]["properties"] = properties
        return body

    def month_index_body(self, names: IndexNames, features: EngineFeatures, month: str, *, alias: bool) -> dict:
        """The body that creates one monthly index (the template supplies settings and mappings)."""
        body: dict[str, Any] = {}
        if alias:
            body["aliases"] = {names.alias: {}}
        if features.lifecycle and features.kind == "elasticsearch":
            # ILM ages count from the month the mentions are about, not from when a backfill created the index.
            body["settings"] = {"index.lifecycle.origination_date": month_start_millis(month)}
        return body
