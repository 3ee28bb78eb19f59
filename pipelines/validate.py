"""Stage 1: turn whatever a spider or collector produced into a valid Mention, or drop it with a reason."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from scrapy.exceptions import DropItem

from janmat.core.errors import explain
from janmat.core.mention import Mention

log = logging.getLogger(__name__)


class ValidatePipeline:
    """Accepts Mention objects or dicts shaped like one; anything else is dropped with a logged reason."""

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(stats=crawler.stats)

    def process_item(self, item: Any) -> Mention:
        """Return the item as a validated Mention or raise DropItem."""
        try:
            mention = item if isinstance(item, Mention) else Mention.model_validate(dict(item))
        except (ValidationError, TypeError, ValueError) as exc:
            reason = explain(exc) if isinstance(exc, ValidationError) else str(exc)
            if self.stats is not None:
                self.stats.inc_value("janmat/invalid_items")
            raise DropItem(f"invalid mention: {reason}") from exc
        return mention
