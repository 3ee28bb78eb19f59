"""Platform collectors: X, YouTube, Facebook, Telegram, Google News search and fact-check feeds.

Each platform sits behind one small adapter (``janmat.collectors.<platform>``) implementing ``Collector``; the
runner hands their Mentions to the same pipeline as news and keeps a durable cursor per collector and query.
See ``docs/collectors.md``.
"""
