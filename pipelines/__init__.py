"""Scrapy item pipelines: validate → enrich → dedupe → store. Each stage is one small class in its own module.

The same stage objects also run outside Scrapy (``janmat ingest``, the collectors) through ``pipelines.flow``.
"""
