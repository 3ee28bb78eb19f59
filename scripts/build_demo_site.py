#!/usr/bin/env python3
"""Build the Janmat demo sample news site (static files) from data and templates.

    python scripts/build_demo_site.py [--out janmat/demo/site] [--check]

SAMPLE CONTENT: every article is fictional, written for the Janmat demo and crawler tests; not real news.
The articles are data (demo_site/articles.yaml), the site's fixed parts too (demo_site/site.yaml), and the
page shapes are Jinja2 templates (demo_site/templates/); this script picks the links between stories and
renders. Absolute URLs start with "{{BASE_URL}}", which the demo server replaces. The build is deterministic.
"""
from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import filecmp
import functools
import html
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_eval_context, select_autoescape
from markupsafe import Markup

SOURCE = Path(__file__).resolve().parent / "demo_site"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "janmat" / "demo" / "site"
BASE_URL = "{{BASE_URL}}"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
json_text = functools.partial(json.dumps, ensure_ascii=False, indent=2)  # text as typed, not \u-escaped
OPTIONAL = {"modified": None, "relative_date": None, "misinfo_role": None, "near_dup_of": None,
            "amp": False, "utm_variants": False, "user_post": False, "notes": None}


def load_articles(site: dict) -> list[dict]:
    """Read articles.yaml and add what the templates derive from each article."""
    articles = [{**OPTIONAL, **row} for row in yaml.safe_load((SOURCE / "articles.yaml").read_text("utf-8"))]
    by_path = {a["path"]: a for a in articles}
    if len(by_path) != len(articles) or len({a["key"] for a in articles}) != len(articles):
        raise ValueError("articles.yaml: every key and path must be unique")
    for a in articles:
        if "body_edits" in a:  # wire copy: the original's text with light edits
            a["body"] = by_path[a["near_dup_of"]]["body"]
            for old, new in a["body_edits"]:
                if old not in a["body"]:
                    raise ValueError(f"{a['key']}: edit {old!r} not found in {a['near_dup_of']}")
                a["body"] = a["body"].replace(old, new)
        a["pub_dt"] = dt.datetime.fromisoformat(a["published"]).replace(tzinfo=IST)
        a["mod_dt"] = dt.datetime.fromisoformat(a["modified"]).replace(tzinfo=IST) if a["modified"] else a["pub_dt"]
        a["amp_path"] = "/amp" + a["path"] if a["amp"] else None
        a["paragraphs"] = [p.strip() for p in a["body"].strip().split("\n\n") if p.strip()]
        a["word_count"] = sum(len(p.split()) for p in a["paragraphs"])
        a["tags"] = [site["district_names"][d] for d in a["districts"]] + [site["schemes"][s] for s in a["schemes"]]
        parts = a["section"].strip("/").split("/")
        a["breadcrumb"] = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return articles


def related_to(a: dict, articles: list[dict], n: int = 4) -> list[dict]:
    """The n stories closest to a: shared districts, then schemes, misinformation, section, date."""
    def distance(b: dict) -> tuple:
        score = 3 * len(set(a["districts"]) & set(b["districts"])) + 2 * len(set(a["schemes"]) & set(b["schemes"]))
        score += bool(a["misinfo_role"] and b["misinfo_role"]) + (a["section"] == b["section"])
        return -score, abs((a["pub_dt"] - b["pub_dt"]).days), b["key"]
    same_language = [b for b in articles if b is not a and (b["lang"] == "en") == (a["lang"] == "en")]
    return sorted(same_language, key=distance)[:n]


def recommended_for(a: dict, articles: list[dict], exclude: list[dict], n: int = 4) -> list[dict]:
    """n stories picked by a fixed stride through the article list, skipping a and exclude."""
    start = articles.index(a)
    stride = (articles[(start + 7 * step) % len(articles)] for step in range(1, len(articles)))
    return list({id(b): b for b in stride if b is not a and b not in exclude}.values())[:n]


def visible_date(d: dt.datetime, style: str, lang: str, months: dict) -> str:
    """The date as the page shows it: English, Hindi, or Hindi with Devanagari digits."""
    if lang == "en":
        return f"{d.day:02d} {months['en'][d.month - 1]} {d.year}, {d:%I:%M %p} IST"
    shown = f"{d.day} {months['hi'][d.month - 1]} {d.year}, {d:%I:%M %p} IST"
    return shown.translate(str.maketrans("0123456789", "०१२३४५६७८९")) if style == "deva" else shown


@pass_eval_context
def escape_text(eval_ctx, value):
    """Escape text like html.escape(quote=False): quotes stay as typed outside attributes."""
    if eval_ctx.autoescape and isinstance(value, str) and not isinstance(value, Markup):
        return Markup(html.escape(value, quote=False))
    return value


def json_ld(data: dict) -> Markup:
    """A JSON-LD <script> block (no trailing newline)."""
    text = json_text(data).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def make_env(site: dict) -> Environment:
    """The Jinja2 environment with the site's filters and globals."""
    env = Environment(loader=FileSystemLoader(SOURCE / "templates"), autoescape=select_autoescape(["html", "xml"]),
                      finalize=escape_text, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(in_attr=lambda s: Markup(html.escape(str(s), quote=True)), json_ld=json_ld,
                       json_text=json_text, iso=dt.datetime.isoformat, rfc822=email.utils.format_datetime,
                       visible_date=lambda d, style, lang: visible_date(d, style, lang, site["months"]))
    env.globals.update(site=site, base=BASE_URL, english=False, html_lang="hi")
    return env


def build(root: Path) -> int:
    """Write the whole site into root (replacing it); return the number of articles."""
    site = yaml.safe_load((SOURCE / "site.yaml").read_text("utf-8"))
    articles = load_articles(site)
    latest = sorted(articles, key=lambda b: b["pub_dt"], reverse=True)
    by_key = {a["key"]: a for a in articles}
    env = make_env(site)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(SOURCE / "static", root / "static")

    def write(url_path: str, template: str, **context) -> None:
        target = root / url_path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(**context), encoding="utf-8")

    for a in articles:
        english = a["lang"] == "en"
        page = dict(a=a, english=english, lab=site["labels"]["en" if english else "hi"],
                    html_lang="hi" if a["lang"] == "mixed" else a["lang"])
        related = related_to(a, articles)
        most_read = [by_key[k] for k in site["most_read"] if k != a["key"]][:5]
        write(a["path"], "article.html", related=related, most_read=most_read,
              recommended=recommended_for(a, articles, related), **page)
        if a["amp_path"]:
            write(a["amp_path"], "amp.html", **page)
    write("/index.html", "home.html", path="/", stories=latest)
    for sec in site["sections"]:
        english = sec.startswith("/english/")
        subsections = [p for p in site["sections"] if p.startswith(sec) and p.count("/") == sec.count("/") + 1]
        write(sec + "index.html", "section.html", path=sec, english=english, html_lang="en" if english else "hi",
              subsections=subsections, stories=[b for b in latest if b["path"].startswith(sec)])
    write("/about.html", "about.html", path="/about.html", stories=[])
    write("/private/draft-unpublished.html", "private.html")
    for feed in site["feeds"]:
        stories = [b for b in latest if (b["lang"] == "en") == feed["english"]][: feed["limit"]]
        write(feed["path"], "rss.xml", feed=feed, stories=stories)
    for name in ("sitemap.xml", "sitemap-news.xml", "sitemap-sections.xml"):
        write(name, name, stories=latest)
    write("/robots.txt", "robots.txt")
    write("/README.md", "README.md", stories=articles)
    write("/manifest.json", "manifest.json", stories=articles)
    return len(articles)


def main(argv: list[str] | None = None) -> int:
    """Build the site into --out, or with --check report whether --out is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="build into a temp dir and report differences from --out")
    args = parser.parse_args(argv)
    if not args.check:
        print(f"wrote {build(args.out)} articles to {args.out}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "site"
        build(fresh)
        names = sorted({p.relative_to(r).as_posix() for r in (fresh, args.out) for p in r.rglob("*") if p.is_file()})
        _, differ, missing = filecmp.cmpfiles(fresh, args.out, names, shallow=False)
    if differ or missing:
        print("out of date:", *sorted(differ + missing), sep="\n  ")
        return 1
    print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
