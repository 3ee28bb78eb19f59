"""Canonical URLs: one spelling per article, so URL variants of a story share one Mention id.

Indian news sites serve the same story under many URLs: ``www.`` and bare host, ``m.`` and ``amp.`` hosts,
``/amp/`` path segments and TOI's ``amp_articleshow``, ``?utm_source=…`` / ``?itm_campaign=…`` tails, NDTV's
``#pfrom=home-…`` fragments, http and https, with and without a trailing slash. ``canonical_url`` folds all of
them into one string (w3lib does the query sorting and percent-encoding); ``mention_id_for_url`` hashes it.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url as w3lib_canonicalize_url
from w3lib.url import url_query_cleaner

from janmat.core.mention import mention_id_for_url

# Host prefixes that name a mobile or AMP copy of the same site, not a different site.
_VARIANT_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "www1.", "www2.")
# Query parameters that only say where a click came from.
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "yclid", "twclid", "mc_cid", "mc_eid", "_ga", "_gl",
    "ref", "ref_src", "ref_url", "referrer", "pfrom", "from", "src", "cmp", "ico", "ocid", "spref", "share",
    "shared", "amp", "outputtype", "at_medium", "at_campaign", "at_custom1", "hootpostid", "sc_cid", "s_cid",
})
_TRACKING_PREFIXES = ("utm_", "itm_", "at_", "pk_", "mtm_", "vero_", "__twitter")
_AMP_SEGMENT = re.compile(r"^amp_(?=[a-z]+show$)")  # TOI: /amp_articleshow/123.cms -> /articleshow/123.cms
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$)|\.amp$")  # /story.amp.html -> /story.html, /story.amp -> /story

# The public-suffix list bundled with tldextract; suffix_list_urls=() keeps it from going online.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _is_ip_or_local(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _strip_variant_prefix(host: str) -> str:
    for prefix in _VARIANT_HOST_PREFIXES:
        if host.startswith(prefix) and "." in host[len(prefix):]:
            return host[len(prefix):]
    return host


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _clean_path(path: str) -> str:
    segments = []
    for segment in path.split("/"):
        if segment.lower() == "amp":
            continue
        segments.append(_AMP_SEGMENT.sub("", segment))
    cleaned = _AMP_SUFFIX.sub("", "/".join(segments))
    cleaned = re.sub(r"/{2,}", "/", cleaned)
    if len(cleaned) > 1:
        cleaned = cleaned.rstrip("/")
    return cleaned or "/"


@lru_cache(maxsize=100_000)
def canonical_url(url: str) -> str:
    """The one spelling of an article URL: https, no www/m/amp, no tracking parameters, fragment or trailing slash."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if "://" not in url:
        raise ValueError(f"not an absolute URL: {url!r}")
    parts = urlsplit(w3lib_canonicalize_url(url, keep_fragments=False))
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"not a web URL: {url!r}")
    host = (parts.hostname or "").lower()
    local = _is_ip_or_local(host)
    if not local:
        host = _strip_variant_prefix(host)
    port = parts.port
    default_port = {"http": 80, "https": 443}[parts.scheme]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    scheme = parts.scheme if local else "https"
    query = ""
    if parts.query:
        names = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
        tracking = [name for name in names if _is_tracking(name)]
        query = urlsplit(url_query_cleaner("?" + parts.query, tracking, remove=True)).query if tracking else parts.query
    return urlunsplit((scheme, netloc, _clean_path(parts.path), query, ""))


def mention_id_for_page(url: str) -> str:
    """The Mention id of a web page: the hash of its canonical URL."""
    return mention_id_for_url(canonical_url(url))


def registered_domain(url_or_host: str) -> str:
    """The registrable domain of a URL or host (``m.bhaskar.com`` -> ``bhaskar.com``); IPs and localhost as is."""
    host = urlsplit(url_or_host).hostname if "://" in url_or_host else url_or_host.split(":")[0]
    host = (host or "").lower()
    if _is_ip_or_local(host):
        return host
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or host


def same_site(url_a: str, url_b: str) -> bool:
    """True when two URLs belong to the same registrable domain."""
    return registered_domain(url_a) == registered_domain(url_b)
