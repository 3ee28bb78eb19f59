"""The embedded store: one SQLite file with FTS5, no server.

SQLite's ``unicode61`` tokenizer splits Devanagari at every vowel sign, so the FTS table never sees raw text:
it holds the normalized, stemmed terms from ``nlp.normalize.search_terms`` separated by spaces, under the
``ascii`` tokenizer (which keeps every non-ASCII character inside its token). Queries go through the same
function, so index and query always agree. A second column, ``folded``, holds one cross-script key per term
(``nlp.crossscript.search_keys``), so पेंशन also finds pension and penshan; a store written before that column
is rebuilt with it when it is opened.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from janmat.core.errors import ConfigError
from janmat.core.mention import HARYANA, IST, Mention
from janmat.core.settings import get_settings
from janmat.store.base import (
    ClusterSpread,
    Facet,
    MentionQuery,
    MentionStore,
    SearchHit,
    SearchResult,
    UpsertReport,
    order_pairs,
)
from janmat.store.query_parser import ParsedQuery, Phrase, highlight, parse_query
from nlp.crossscript import search_keys
from nlp.normalize import search_terms

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mentions (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    platform TEXT NOT NULL,
    source TEXT,
    lang TEXT,
    sentiment TEXT,
    sentiment_score REAL,
    misinformation INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    published_day TEXT,
    fetched_at TEXT NOT NULL,
    near_dup_cluster TEXT
);
CREATE INDEX IF NOT EXISTS mentions_published ON mentions(published_at);
CREATE INDEX IF NOT EXISTS mentions_sentiment ON mentions(sentiment, published_at);
-- Date-filtered counts and filters read only this index, never the wide rows that carry the JSON document.
CREATE INDEX IF NOT EXISTS mentions_facets
    ON mentions(published_at, published_day, sentiment, platform, source, lang, misinformation);
-- Spreading clusters (near-duplicates) over a date range, read from the index alone.
CREATE INDEX IF NOT EXISTS mentions_clusters ON mentions(near_dup_cluster, published_at, source)
    WHERE near_dup_cluster IS NOT NULL;
-- Every key a mention is findable under; ``tagged`` = 1 for its own tags, 0 for an ``also_under`` key only.
-- Filters read every row, counts by district only the tagged ones (so a mention counts once per district).
CREATE TABLE IF NOT EXISTS mention_districts (
    mention_rowid INTEGER NOT NULL REFERENCES mentions(rowid) ON DELETE CASCADE,
    district TEXT NOT NULL,
    tagged INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (district, mention_rowid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mention_schemes (
    mention_rowid INTEGER NOT NULL REFERENCES mentions(rowid) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    PRIMARY KEY (scheme, mention_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_schemes_rowid ON mention_schemes(mention_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS mention_terms USING fts5(terms, folded, tokenize = 'ascii', detail = 'full');
"""

# Stores written before cross-script search have ``mention_terms(terms)`` only; an FTS5 table takes no new column,
# so the table is built again beside the old one from the stored documents, then takes its name.
_NEW_TERMS_TABLE = (
    "CREATE VIRTUAL TABLE mention_terms_new USING fts5(terms, folded, tokenize = 'ascii', detail = 'full')"
)
_TITLE_AND_TEXT = "SELECT rowid, json_extract(doc, '$.title'), coalesce(json_extract(doc, '$.text'), '') FROM mentions"

_FACET_SQL: dict[str, str] = {
    "district": (
        "SELECT d.district, COUNT(*) FROM mention_districts d JOIN mentions m ON m.rowid = d.mention_rowid "
        "AND d.tagged = 1"
    ),
    "scheme": "SELECT s.scheme, COUNT(*) FROM mention_schemes s JOIN mentions m ON m.rowid = s.mention_rowid",
    "sentiment": "SELECT m.sentiment, COUNT(*) FROM mentions m",
    "day": "SELECT m.published_day, COUNT(*) FROM mentions m",
    "source": "SELECT m.source, COUNT(*) FROM mentions m",
    "platform": "SELECT m.platform, COUNT(*) FROM mentions m",
    "lang": "SELECT m.lang, COUNT(*) FROM mentions m",
}

# With a date range, walk the mentions in range through the date index and look each one's districts / schemes up
# by mention (covering indices); CROSS JOIN keeps SQLite from scanning the whole district or scheme table instead
# (at 20,000 mentions a 30-day count by district took 21 ms that way, 1 ms this way).
_DATE_DRIVEN_FACET_SQL: dict[str, str] = {
    "district": (
        "SELECT d.district, COUNT(*) FROM mentions m CROSS JOIN mention_districts d ON m.rowid = d.mention_rowid "
        "AND d.tagged = 1"
    ),
    "scheme": "SELECT s.scheme, COUNT(*) FROM mentions m CROSS JOIN mention_schemes s ON m.rowid = s.mention_rowid",
}

# Two-facet counts (``counts2``): each facet's value column and the join that brings it in (districts: tags only).
_PAIR_FACETS: dict[str, tuple[str, str]] = {
    "district": ("d.district", "JOIN mention_districts d ON d.mention_rowid = m.rowid AND d.tagged = 1"),
    "scheme": ("s.scheme", "JOIN mention_schemes s ON s.mention_rowid = m.rowid"),
    "sentiment": ("m.sentiment", ""),
    "day": ("m.published_day", ""),
    "source": ("m.source", ""),
    "platform": ("m.platform", ""),
    "lang": ("m.lang", ""),
}

# Created after ``_migrate`` (older stores get the ``tagged`` column first). With ``tagged`` in it, the index covers
# a date-filtered count by district (the table's key columns ride along), so the count never reads the table;
# it replaces the index on ``mention_rowid`` alone of older stores.
_INDEXES_AFTER_MIGRATION = """
CREATE INDEX IF NOT EXISTS mention_districts_by_mention ON mention_districts(mention_rowid, tagged);
DROP INDEX IF EXISTS mention_districts_rowid;
"""

# Stores written before the ``tagged`` column: add it, then clear it on the rows that came from ``also_under``
# alone (only mentions whose JSON has a non-empty also_under list can have such rows). A tag's key is its name in
# Haryana and ``State:Name`` elsewhere, as ``janmat.core.mention.district_key``.
_ADD_TAGGED = "ALTER TABLE mention_districts ADD COLUMN tagged INTEGER NOT NULL DEFAULT 1"
_MARK_ALSO_UNDER_ROWS = """
UPDATE mention_districts SET tagged = 0
WHERE mention_rowid IN (SELECT rowid FROM mentions WHERE instr(doc, '"also_under":["') > 0)
  AND district NOT IN (
    SELECT CASE WHEN coalesce(json_extract(t.value, '$.state'), :haryana) = :haryana
                THEN json_extract(t.value, '$.name')
                ELSE json_extract(t.value, '$.state') || ':' || json_extract(t.value, '$.name') END
    FROM mentions m, json_each(m.doc, '$.districts') t
    WHERE m.rowid = mention_districts.mention_rowid
  )
"""


def _is_busy(exc: BaseException) -> bool:
    """True for the errors that mean another connection holds the database: worth waiting for, not the row's fault."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in ("locked", "busy")
    )


def utc_text(moment: datetime) -> str:
    """A sortable UTC timestamp string; naive datetimes are taken as IST."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=IST)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _utc(text: str | None) -> datetime | None:
    """A ``published_at`` column value back as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


def _index_columns(text: str) -> tuple[str, str]:
    """The ``terms`` and ``folded`` columns of a mention's row in the term index, for its ``full_text``."""
    return " ".join(search_terms(text)), " ".join(search_keys(text))


def fts_expression(parsed: ParsedQuery) -> str:
    """Translate a parsed query into an FTS5 MATCH expression over the stemmed terms."""

    def quoted(words: tuple[str, ...]) -> str:
        return '"' + " ".join(t.replace('"', '""') for t in words) + '"'

    def phrase(p: Phrase) -> str:
        if not p.keys:
            return f"terms : {quoted(p.terms)}"
        return f"(terms : {quoted(p.terms)} OR folded : {quoted(p.keys)})"

    parts = ["(" + " OR ".join(phrase(p) for p in group) + ")" for group in parsed.groups]
    expression = " AND ".join(parts)
    for p in parsed.excluded:
        expression = f"{expression} NOT {phrase(p)}"
    return expression


class SQLiteStore(MentionStore):
    """Mentions in one SQLite file; full-text search over Hindi-aware terms, facets by plain SQL."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        settings = get_settings().store
        self._write_attempts = settings.sqlite_write_attempts
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # ``timeout`` is SQLite's busy timeout: a writer waits this long for another process's lock.
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=settings.sqlite_busy_timeout_seconds)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open SQLite store at {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:  # the first read of the file: "file is not a database"
            self._db.close()
            raise ConfigError(f"{self.path} is not a Janmat SQLite store: {exc}") from exc
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self._add_sentiment_score()
        self._add_folded_keys()
        self._db.executescript(_INDEXES_AFTER_MIGRATION)

    def _migrate(self) -> None:
        """Bring a store written by an older Janmat up to the current schema, in one transaction."""
        if self._has_tagged_column():
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._has_tagged_column():  # another process migrated it while we waited for the lock
                    self._db.execute("COMMIT")
                    return
                self._db.execute(_ADD_TAGGED)
                marked = self._db.execute(_MARK_ALSO_UNDER_ROWS, {"haryana": HARYANA}).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        log.info("SQLite store %s: district rows marked tagged / also-under (%d also-under rows)", self.path, marked)

    def _add_sentiment_score(self) -> None:
        """Stores written before ``sentiment_score``: add the column and fill it from the stored documents."""
        if any(row[1] == "sentiment_score" for row in self._db.execute("PRAGMA table_info(mentions)")):
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if not any(row[1] == "sentiment_score" for row in self._db.execute("PRAGMA table_info(mentions)")):
                    self._db.execute("ALTER TABLE mentions ADD COLUMN sentiment_score REAL")
                    self._db.execute("UPDATE mentions SET sentiment_score = json_extract(doc, '$.sentiment.score')")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _has_folded_column(self) -> bool:
        return any(row[1] == "folded" for row in self._db.execute("PRAGMA table_info(mention_terms)"))

    def _add_folded_keys(self) -> None:
        """Stores written before cross-script search: rebuild the term index with its ``folded`` column."""
        if self._has_folded_column():
            return
        with self._lock, self._write_transaction():
            if self._has_folded_column():  # another process rebuilt it while we waited for the lock
                return
            log.info("SQLite store %s: adding cross-script keys to the term index (runs once)", self.path)
            self._db.execute("DROP TABLE IF EXISTS mention_terms_new")
            self._db.execute(_NEW_TERMS_TABLE)
            rebuilt = 0
            # title and text read straight from the JSON (as ``Mention.full_text`` joins them): parsing every
            # document into a Mention would take most of the time
            for rowid, title, text in self._db.execute(_TITLE_AND_TEXT).fetchall():
                full_text = f"{title}\n{text}" if title else text
                self._db.execute("INSERT INTO mention_terms_new (rowid, terms, folded) VALUES (?, ?, ?)",
                                 (rowid, *_index_columns(full_text)))
                rebuilt += 1
            self._db.execute("DROP TABLE mention_terms")
            self._db.execute("ALTER TABLE mention_terms_new RENAME TO mention_terms")
        log.info("SQLite store %s: term index rebuilt with cross-script keys (%d mentions)", self.path, rebuilt)

    def _has_tagged_column(self) -> bool:
        return any(row[1] == "tagged" for row in self._db.execute("PRAGMA table_info(mention_districts)"))

    # -- writing -------------------------------------------------------------------------------------------

    def upsert(self, mentions: Iterable[Mention]) -> UpsertReport:
        """Insert or replace each mention by id, in one transaction per call.

        Many processes may write one file (ingests, the monitor, the web service's corrections). The transaction
        takes the write lock at its start (``BEGIN IMMEDIATE``), waits up to the busy timeout for it, and the whole
        batch is retried a bounded number of times while another writer holds the file. A batch that still cannot
        be written is reported back mention by mention in ``failed``; nothing is dropped silently.
        """
        batch = list(mentions)
        report = UpsertReport()
        try:
            for attempt in Retrying(
                retry=retry_if_exception(_is_busy), stop=stop_after_attempt(self._write_attempts),
                wait=wait_random_exponential(multiplier=0.05, max=2.0), reraise=True,
            ):
                with attempt:
                    report = self._write_batch(batch)
        except sqlite3.OperationalError as exc:
            reason = f"SQLite store busy after {self._write_attempts} tries: {exc}"
            log.error("%s (%d mentions not stored)", reason, len(batch))
            report = UpsertReport(failed={mention.id: reason for mention in batch})
        return report

    def _write_batch(self, batch: list[Mention]) -> UpsertReport:
        """One write transaction for the batch; a row the database refuses is reported, the others stay."""
        report = UpsertReport()
        with self._lock, self._write_transaction():
            for mention in batch:
                self._db.execute("SAVEPOINT one")
                try:
                    if self._upsert_one(mention):
                        report.updated += 1
                    else:
                        report.stored += 1
                    self._db.execute("RELEASE one")
                except sqlite3.OperationalError as exc:
                    if _is_busy(exc):
                        raise  # the whole batch is retried
                    self._db.execute("ROLLBACK TO one")
                    self._db.execute("RELEASE one")
                    report.failed[mention.id] = str(exc)
                except (sqlite3.Error, ValueError, OverflowError) as exc:
                    self._db.execute("ROLLBACK TO one")
                    self._db.execute("RELEASE one")
                    report.failed[mention.id] = str(exc)
        return report

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error (the lock is held by the caller)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _upsert_one(self, mention: Mention) -> bool:
        row = self._db.execute("SELECT rowid FROM mentions WHERE id = ?", (mention.id,)).fetchone()
        published = utc_text(mention.published_at) if mention.published_at else None
        day = mention.published_at.astimezone(IST).date().isoformat() if mention.published_at else None
        values = (
            mention.model_dump_json(),
            mention.platform.value,
            mention.source.name or mention.source.domain,
            mention.lang,
            mention.sentiment.label if mention.sentiment else None,
            mention.sentiment.score if mention.sentiment else None,
            int(mention.misinformation.flagged),
            published,
            day,
            utc_text(mention.fetched_at),
            mention.near_dup_cluster,
        )
        if row:
            rowid = row[0]
            self._db.execute(
                "UPDATE mentions SET doc=?, platform=?, source=?, lang=?, sentiment=?, sentiment_score=?, "
                "misinformation=?, published_at=?, published_day=?, fetched_at=?, near_dup_cluster=? WHERE rowid=?",
                (*values, rowid),
            )
            self._db.execute("DELETE FROM mention_districts WHERE mention_rowid=?", (rowid,))
            self._db.execute("DELETE FROM mention_schemes WHERE mention_rowid=?", (rowid,))
            self._db.execute("DELETE FROM mention_terms WHERE rowid=?", (rowid,))
        else:
            rowid = self._db.execute(
                "INSERT INTO mentions (doc, platform, source, lang, sentiment, sentiment_score, misinformation, "
                "published_at, published_day, fetched_at, near_dup_cluster, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, mention.id),
            ).lastrowid
        tagged = set(mention.tagged_district_keys)
        self._db.executemany(
            "INSERT INTO mention_districts (mention_rowid, district, tagged) VALUES (?, ?, ?)",
            [(rowid, key, int(key in tagged)) for key in mention.district_keys],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO mention_schemes VALUES (?, ?)", [(rowid, s) for s in mention.scheme_ids]
        )
        self._db.execute(
            "INSERT INTO mention_terms (rowid, terms, folded) VALUES (?, ?, ?)",
            (rowid, *_index_columns(mention.full_text())),
        )
        return row is not None

    def delete(self, query: MentionQuery) -> int:
        """Delete matching mentions with their district, scheme and term rows."""
        where, params, _ = self._where(query)
        with self._lock, self._write_transaction():
            rowids = [r[0] for r in self._db.execute(f"SELECT m.rowid FROM mentions m {where}", params)]
            self._delete_rows(rowids)
        return len(rowids)

    def delete_older_than(self, cutoff: datetime, *, dry_run: bool = False) -> int:
        """Retention: delete mentions published before ``cutoff`` (undated ones: fetched before it); how many.
        ``dry_run`` only counts them."""
        sql = ("SELECT rowid FROM mentions WHERE published_at < :cutoff "
               "UNION ALL SELECT rowid FROM mentions WHERE published_at IS NULL AND fetched_at < :cutoff")
        with self._lock, self._write_transaction():
            rowids = [r[0] for r in self._db.execute(sql, {"cutoff": utc_text(cutoff)})]
            if not dry_run:
                self._delete_rows(rowids)
        return len(rowids)

    def _delete_rows(self, rowids: list[int]) -> None:
        """Delete mentions by rowid with their term rows (district and scheme rows go by cascade)."""
        for rowid in rowids:
            self._db.execute("DELETE FROM mention_terms WHERE rowid=?", (rowid,))
            self._db.execute("DELETE FROM mentions WHERE rowid=?", (rowid,))

    # -- reading -------------------------------------------------------------------------------------------

    def get(self, mention_id: str) -> Mention | None:
        """One mention by id."""
        with self._lock:
            row = self._db.execute("SELECT doc FROM mentions WHERE id = ?", (mention_id,)).fetchone()
        return Mention.model_validate_json(row[0]) if row else None

    def _where(self, query: MentionQuery) -> tuple[str, list[object], ParsedQuery]:
        """The WHERE clause for a query: full-text match plus every filter."""
        filters, params, parsed = self._filters(query)
        clauses = list(filters)
        if not parsed.is_empty:
            clauses.insert(0, f"{self._rowid(query)} IN (SELECT rowid FROM mention_terms WHERE mention_terms MATCH ?)")
            params.insert(0, fts_expression(parsed))
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params, parsed

    @staticmethod
    def _rowid(query: MentionQuery) -> str:
        # With a date range, scanning the (covering) date index and testing each rowid against the full-text and
        # district lists beats looking up every full-text match in the wide table; the unary + tells SQLite so.
        return "+m.rowid" if query.since or query.until else "m.rowid"

    def _filters(self, query: MentionQuery) -> tuple[list[str], list[object], ParsedQuery]:
        """Every non-text condition of a query, and the parsed text."""
        clauses: list[str] = []
        params: list[object] = []
        parsed = parse_query(query.text)
        rowid = self._rowid(query)
        for column, values in (
            ("m.sentiment", query.sentiments),
            ("m.platform", query.platforms),
            ("m.source", query.sources),
            ("m.lang", query.langs),
        ):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if query.districts:
            clauses.append(
                f"{rowid} IN (SELECT mention_rowid FROM mention_districts WHERE district IN "
                f"({','.join('?' * len(query.districts))}))"
            )
            params.extend(query.districts)
        if query.schemes:
            clauses.append(
                f"{rowid} IN (SELECT mention_rowid FROM mention_schemes WHERE scheme IN "
                f"({','.join('?' * len(query.schemes))}))"
            )
            params.extend(query.schemes)
        if query.clusters:
            clauses.append(f"m.near_dup_cluster IN ({','.join('?' * len(query.clusters))})")
            params.extend(query.clusters)
        if query.misinformation is not None:
            clauses.append("m.misinformation = ?")
            params.append(int(query.misinformation))
        if query.min_confidence is not None:
            clauses.append("m.sentiment_score >= ?")
            params.append(query.min_confidence)
        if query.since:
            clauses.append("m.published_at >= ?")
            params.append(utc_text(query.since))
        if query.until:
            clauses.append("m.published_at <= ?")
            params.append(utc_text(query.until))
        return clauses, params, parsed

    def search(self, query: MentionQuery) -> SearchResult:
        """Matching mentions: by BM25 when there is query text (unless sorted by date), newest first otherwise.

        A page is found as rowids first and only its mentions' documents are read: ordering thousands of matches
        never carries their JSON along (at 200,000 mentions that took a common word's search from ~1 s to ~20 ms).
        """
        where, params, parsed = self._where(query)
        filters, filter_params, _ = self._filters(query)
        with self._lock:
            if parsed.is_empty or filters:
                total = self._db.execute(f"SELECT COUNT(*) FROM mentions m {where}", params).fetchone()[0]
            else:  # text alone: every full-text row is a stored mention
                total = self._db.execute(
                    "SELECT COUNT(*) FROM mention_terms WHERE mention_terms MATCH ?", [fts_expression(parsed)]
                ).fetchone()[0]
            if query.limit == 0:
                return SearchResult(total=total, hits=[])
            if parsed.is_empty or query.sort != "relevance":
                ranked = [(rowid, None) for rowid in self._page_by_date(query, where, params)]
            else:
                # Rank only the matches that pass the filters (a short list), not every full-text match.
                # (the unary + keeps FTS5 from re-running the match once per listed rowid)
                only = f"AND +mention_terms.rowid IN (SELECT m.rowid FROM mentions m WHERE {' AND '.join(filters)})"
                sql = (
                    "SELECT rowid, bm25(mention_terms) AS rank FROM mention_terms "
                    f"WHERE mention_terms MATCH ? {only if filters else ''} ORDER BY rank LIMIT ? OFFSET ?"
                )
                ranked = self._db.execute(
                    sql, [fts_expression(parsed), *filter_params, query.limit, query.offset]
                ).fetchall()
            docs = self._documents([rowid for rowid, _ in ranked])
        terms, keys = parsed.all_terms(), parsed.all_keys()
        hits = []
        for rowid, rank in ranked:
            mention = Mention.model_validate_json(docs[rowid])
            hits.append(
                SearchHit(
                    mention=mention,
                    score=-rank if rank is not None else None,
                    highlights=highlight(mention.full_text(), terms, keys=keys),
                )
            )
        return SearchResult(total=total, hits=hits)

    def _page_by_date(self, query: MentionQuery, where: str, params: list[object]) -> list[int]:
        """Rowids of one page in date order (newest or oldest first), undated mentions after the dated ones.

        For query text the dated part walks the ``published_at`` index in order and stops once the page is full,
        so no sort of every match is needed; the undated part is looked at only when the dated matches run out.
        """
        direction = "ASC" if query.sort == "oldest" else "DESC"
        dated = f"{where} AND m.published_at IS NOT NULL" if where else "WHERE m.published_at IS NOT NULL"
        # Text matches are many and unordered: walking the date index beats sorting them (a word in 150,000 of
        # 200,000 mentions: 230 ms → 30 ms). A cluster is a handful of rows, best found by its own index.
        walk = "INDEXED BY mentions_published" if query.text and not query.clusters else ""
        rowids = [row[0] for row in self._db.execute(
            f"SELECT m.rowid FROM mentions m {walk} {dated} "
            f"ORDER BY m.published_at {direction}, m.rowid {direction} LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset],
        )]
        if len(rowids) == query.limit:
            return rowids
        dated_total = self._db.execute(f"SELECT COUNT(*) FROM mentions m {dated}", params).fetchone()[0]
        undated = f"{where} AND m.published_at IS NULL" if where else "WHERE m.published_at IS NULL"
        rowids += [row[0] for row in self._db.execute(
            f"SELECT m.rowid FROM mentions m {undated} ORDER BY m.rowid {direction} LIMIT ? OFFSET ?",
            [*params, query.limit - len(rowids), max(0, query.offset - dated_total)],
        )]
        return rowids

    def _documents(self, rowids: list[int]) -> dict[int, str]:
        """The stored JSON of these mentions, by rowid."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        return dict(self._db.execute(f"SELECT rowid, doc FROM mentions WHERE rowid IN ({marks})", rowids).fetchall())

    def counts(self, by: Facet, query: MentionQuery | None = None) -> list[tuple[str, int]]:
        """Mentions per facet value, most first (by day: in date order)."""
        if by not in _FACET_SQL:
            raise ValueError(f"cannot count by {by!r}")
        query = query or MentionQuery()
        where, params, _ = self._where(query)
        sql = _FACET_SQL[by]
        if by in _DATE_DRIVEN_FACET_SQL and (query.since or query.until):
            sql = _DATE_DRIVEN_FACET_SQL[by]
        column = sql.split(",")[0].removeprefix("SELECT ").strip()
        null_guard = f"{column} IS NOT NULL"
        where = f"{where} AND {null_guard}" if where else f"WHERE {null_guard}"
        order = f"{column}" if by == "day" else f"COUNT(*) DESC, {column}"
        sql = f"{sql} {where} GROUP BY {column} ORDER BY {order}"
        with self._lock:
            return [(str(k), int(n)) for k, n in self._db.execute(sql, params)]

    def counts2(self, by1: Facet, by2: Facet, query: MentionQuery | None = None) -> list[tuple[str, str, int]]:
        """Mentions per pair of values of two facets: one GROUP BY over both facets' joins."""
        if by1 not in _PAIR_FACETS or by2 not in _PAIR_FACETS or by1 == by2:
            raise ValueError(f"cannot count by {by1!r} and {by2!r}: two different facets of {', '.join(_PAIR_FACETS)}")
        (first, first_join), (second, second_join) = _PAIR_FACETS[by1], _PAIR_FACETS[by2]
        where, params, _ = self._where(query or MentionQuery())
        guard = f"{first} IS NOT NULL AND {second} IS NOT NULL"
        where = f"{where} AND {guard}" if where else f"WHERE {guard}"
        sql = (f"SELECT {first}, {second}, COUNT(*) FROM mentions m {first_join} {second_join} {where} "
               f"GROUP BY {first}, {second}")
        with self._lock:
            rows = [(str(a), str(b), int(n)) for a, b, n in self._db.execute(sql, params)]
        return order_pairs(by1, by2, rows)

    def spreading_clusters(self, query: MentionQuery | None = None, *, limit: int = 10,
                           min_size: int = 2) -> list[ClusterSpread]:
        """The largest near-duplicate clusters among the matching mentions, one GROUP BY."""
        where, params, _ = self._where(query or MentionQuery())
        guard = "m.near_dup_cluster IS NOT NULL"
        where = f"{where} AND {guard}" if where else f"WHERE {guard}"
        sql = (
            "SELECT m.near_dup_cluster, COUNT(*), COUNT(DISTINCT m.source), MIN(m.published_at), "
            f"MAX(m.published_at) FROM mentions m {where} GROUP BY m.near_dup_cluster HAVING COUNT(*) >= ? "
            "ORDER BY COUNT(*) DESC, m.near_dup_cluster LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, [*params, min_size, limit]).fetchall()
        return [
            ClusterSpread(cluster=cluster, mentions=n, sources=sources, first_seen=_utc(first), last_seen=_utc(last))
            for cluster, n, sources, first, last in rows
        ]

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._db.close()
