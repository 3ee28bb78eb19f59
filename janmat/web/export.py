"""The search screen's rows, as shown and as exported: one function makes both, so an export's rows are exactly
the rows on screen (CSV with a BOM for Excel, or XLSX through openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from janmat.core.mention import Mention
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.filters import MAX_RESULT_WINDOW
from janmat.web.display import Words

COLUMNS = ("id", "published", "title", "source", "platform", "districts", "schemes", "sentiment",
           "misinformation", "url")
PAGE = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row(mention: Mention, w: Words) -> dict[str, str]:
    """One result as the screen shows it, column by column."""
    return {
        "id": mention.id,
        "published": w.when(mention.published_at),
        "title": mention.title or mention.text[:120],
        "source": mention.source.name or mention.source.domain or "",
        "platform": mention.platform.value,
        "districts": w.mention_districts(mention),
        "schemes": w.mention_schemes(mention),
        "sentiment": w.sentiment(mention.sentiment.label if mention.sentiment else None),
        "misinformation": w("yes") if mention.misinformation.flagged else w("no"),
        "url": mention.url or "",
    }


def all_rows(store: MentionStore, query: MentionQuery, w: Words) -> Iterator[dict[str, str]]:
    """Every matching mention in the screen's order, page by page (up to the paging limit)."""
    offset = 0
    while offset < MAX_RESULT_WINDOW:
        size = min(PAGE, MAX_RESULT_WINDOW - offset)
        hits = store.search(query.model_copy(update={"offset": offset, "limit": size})).hits
        yield from (row(hit.mention, w) for hit in hits)
        if len(hits) < size:
            return
        offset += size


def _spreadsheet_safe(value: str) -> str:
    """A crawled string a spreadsheet must show as text, never run as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: Iterator[dict[str, str]], w: Words) -> Iterator[str]:
    """CSV text in chunks: a header of column names in the UI language, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([w(f"col_{c}") for c in COLUMNS])
    for n, item in enumerate(rows, 1):
        writer.writerow([_spreadsheet_safe(item[c]) for c in COLUMNS])
        if n % PAGE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_xlsx(rows: Iterator[dict[str, str]], w: Words) -> bytes:
    """An XLSX workbook of the rows; every cell is a string cell, so nothing is evaluated as a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(w("mentions"))
    sheet.append([w(f"col_{c}") for c in COLUMNS])
    for item in rows:
        cells = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=item[column])
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
