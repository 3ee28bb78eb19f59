"""Janmat's own crawl signals, beside Scrapy's (``scrapy.signals``).

The crawlers define them and the item pipeline sends them, so the crawlers never import the pipeline.

``mentions_stored``: sent after each batch the pipeline wrote, with

- ``stored``: the mentions the store took (new, updated, or spooled until a search engine is back), in order;
- ``failed``: ``{mention id: reason}`` for the mentions the store refused.

``crawlers.extensions.CrawlStateExtension`` marks the stored mentions' URLs seen from it, so a URL is remembered
only once its mention is stored.
"""

from __future__ import annotations

mentions_stored = object()
