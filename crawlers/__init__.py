"""Janmat's Scrapy project: generic news spiders configured by the source registry (crawlers/sources.yaml)."""
