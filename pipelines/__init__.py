"""What happens to a mention: the stages declared once in ``pipelines.stages``
(validate → mask → enrich → dedupe → store → alert).

Each stage is one small class in its own module with a batch method (``pipelines.stage.Stage``). ``MentionFlow``
(``pipelines.flow``) runs them for ``janmat ingest``, the collectors and the API; Scrapy runs the same list through
its one item pipeline, ``pipelines.scrapy.MentionPipeline``.
"""
