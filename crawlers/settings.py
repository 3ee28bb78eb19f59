"""Scrapy settings for Janmat's crawlers. Values that vary per installation come from ``janmat.core.settings``.

Override per run with ``-s NAME=VALUE``. The Janmat-specific Scrapy settings below take their defaults from the
environment through ``janmat.core.settings`` (``docs/configuration.md``):

==============================  =================================  ==========================================
Scrapy setting                  environment default                meaning
==============================  =================================  ==========================================
``JANMAT_STORE``                ``JANMAT_STORE_URL``               store URL
``JANMAT_STORE_BATCH``          ``JANMAT_STORE_BATCH``             items the pipeline runs and stores at a time
``JANMAT_PIPELINE_STAGES``      (``pipelines.stages.STAGES``)      another stage list for one crawl
``JANMAT_STATE_DIR``            ``<JANMAT_DATA_DIR>/state``        seen URLs and feed validators
``JANMAT_CRAWL_ROUND``          (new id per crawl)                 crawl round shared by Redis workers
``JANMAT_RETRY_BACKOFF_BASE``   ``JANMAT_CRAWL_RETRY_BACKOFF_BASE``  first retry delay, seconds
``JANMAT_RETRY_BACKOFF_MAX``    ``JANMAT_CRAWL_RETRY_BACKOFF_MAX``   longest retry delay, seconds
``JANMAT_RETRY_AFTER_MAX``      ``JANMAT_CRAWL_RETRY_AFTER_MAX``     longest Retry-After honoured, seconds
``JANMAT_LISTING_LINKS_MAX``    ``JANMAT_CRAWL_LISTING_LINKS_MAX``   new links followed per listing page
``JANMAT_SOURCE_PAGES_MAX``     ``JANMAT_CRAWL_SOURCE_PAGES_MAX``    pages fetched per source per run
``DOWNLOAD_TIMEOUT``            ``JANMAT_CRAWL_DOWNLOAD_TIMEOUT``    longest page download, seconds
``JANMAT_FRONTIER_IDLE_SECONDS``  ``JANMAT_CRAWL_FRONTIER_IDLE_SECONDS``  idle wait on a shared frontier
==============================  =================================  ==========================================
"""

from __future__ import annotations

from janmat.core.settings import get_settings

_janmat = get_settings()

BOT_NAME = "janmat"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# ------------------------------------------------------------------ politeness
ROBOTSTXT_OBEY = True
USER_AGENT = _janmat.http_user_agent
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = _janmat.crawl.download_timeout  # also what a graceful stop waits for, at most
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # news pages are < 2 MB; anything far bigger is not an article
DOWNLOAD_WARNSIZE = 3 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports on a crawler host
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "hi-IN,hi;q=0.9,en-IN;q=0.8,en;q=0.7",
}

# ------------------------------------------------------------------ robustness
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
JANMAT_RETRY_BACKOFF_BASE = _janmat.crawl.retry_backoff_base
JANMAT_RETRY_BACKOFF_MAX = _janmat.crawl.retry_backoff_max
JANMAT_RETRY_AFTER_MAX = _janmat.crawl.retry_after_max  # a longer wait defers the source to its next run
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.BlockedPageMiddleware": 560,
    "crawlers.middlewares.ConditionalGetMiddleware": 570,
    "crawlers.middlewares.NonHtmlArticleMiddleware": 580,
}
HTTPERROR_ALLOWED_CODES: list[int] = []
REQUEST_FINGERPRINTER_CLASS = "crawlers.frontier.CanonicalFingerprinter"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# ------------------------------------------------------------------ pipeline
# One adapter runs the stage list declared once in pipelines/stages.py on batches of JANMAT_STORE_BATCH items;
# named by its dotted path because the crawlers never import the pipeline.
ITEM_PIPELINES = {"pipelines.scrapy.MentionPipeline": 300}
JANMAT_STORE = _janmat.store_url
JANMAT_STORE_BATCH = _janmat.store.batch
JANMAT_STATE_DIR = str(_janmat.state_dir)

EXTENSIONS = {
    "crawlers.extensions.CrawlStateExtension": 500,
    "crawlers.extensions.SourceReportExtension": 510,
    "crawlers.frontier.SharedFrontierIdle": 520,
    "crawlers.extensions.PromptStop": 530,
    "crawlers.extensions.FinishedJobReset": 540,
}

# ------------------------------------------------------------------ caps: what is over them waits for the next run
JANMAT_LISTING_LINKS_MAX = _janmat.crawl.listing_links_max
JANMAT_SOURCE_PAGES_MAX = _janmat.crawl.source_pages_max

# ------------------------------------------------------------------ incremental and resumable
# JOBDIR is set per crawl (``-s JOBDIR=…``) so a stopped crawl resumes; seen URLs live in JANMAT_STATE_DIR.
# The scheduler holds requests that must wait (retries, paused hosts) outside the downloader and saves them with
# the queue on a stop (SIGTERM or Ctrl-C once; a second signal forces an unclean stop that saves nothing).
SCHEDULER = "crawlers.frontier.PacedScheduler"
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# ------------------------------------------------------------------ scale-out: one shared frontier in Redis
if _janmat.crawl.redis_url:
    REDIS_URL = _janmat.crawl.redis_url
    SCHEDULER = "crawlers.frontier.SharedScheduler"  # scrapy-redis' scheduler, paced
    DUPEFILTER_CLASS = "crawlers.frontier.SharedDupeFilter"
    SCHEDULER_PERSIST = True  # one process finishing must not wipe the frontier the others still use
    SCHEDULER_QUEUE_KEY = "janmat:%(spider)s:requests"
    SCHEDULER_DUPEFILTER_KEY = "janmat:%(spider)s:dupefilter"
    JANMAT_FRONTIER_IDLE_SECONDS = _janmat.crawl.frontier_idle_seconds

LOG_LEVEL = _janmat.core.log_level
FEED_EXPORT_ENCODING = "utf-8"
