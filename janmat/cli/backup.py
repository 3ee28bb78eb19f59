"""``janmat backup FILE`` and ``janmat restore FILE``: a copy of the embedded SQLite store taken while it is in use,
and putting one back, both with SQLite's online backup API. Search engines keep their own backups: snapshots."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, out
from janmat.cli.options import StoreOption, open_mentions
from janmat.core.errors import ConfigError, InputError
from janmat.core.i18n import t
from janmat.store import MentionQuery, MentionStore

PAGES_PER_STEP = 4096
"""Pages copied per backup step; writers get the file between steps (4096 pages of 4 KiB = 16 MiB)."""
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite FILE (backup) / replace a non-empty store "
                                                           "(restore).")]


def sqlite_file(store: MentionStore) -> Path:
    """The store's SQLite file; a search engine is refused with what to use instead."""
    from janmat.store.sqlite import SQLiteStore

    if not isinstance(store, SQLiteStore):
        raise ConfigError(t("engine_backup_advice", url=store.url.split("@")[-1]))
    return store.path


def copy_database(source: Path, target: Path, pages: int = PAGES_PER_STEP) -> None:
    """Copy one SQLite database into another, page by page, with the online backup API."""
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer, pages=pages)
    reader.close()
    writer.close()


def check_backup(path: Path) -> int:
    """How many mentions a backup file holds; an InputError if it is not a sound Janmat store."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            # integrity_check, not quick_check: SQLite 3.40's quick_check reports "NULL value in
            # mention_schemes.mention_rowid" on sound WITHOUT ROWID tables whose key order differs from their columns.
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            mentions = db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        db.close()
    except sqlite3.Error as exc:
        raise InputError(f"{path} is not a Janmat SQLite store: {exc}") from None
    if verdict != "ok":
        raise InputError(f"{path} is damaged: {verdict}")
    return int(mentions)


def _single_file(path: Path) -> None:
    """Take a copy out of the live store's write-ahead-log mode, so the backup is one self-contained file."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=DELETE")
    db.close()


def _remove_partial(partial: Path) -> None:
    """Delete a half-written copy and SQLite's side files for it."""
    for path in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm"),
                 partial.with_name(partial.name + "-journal")):
        path.unlink(missing_ok=True)


@clear_errors
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a SQLite file).")],
    store: StoreOption = None,
    force: ForceOption = False,
) -> None:
    """Copy the SQLite store to FILE while it is in use (SQLite's online backup API)."""
    if file.exists() and not force:
        raise InputError(f"{file} exists; give --force to overwrite it")
    if not file.parent.is_dir():
        raise InputError(f"cannot write {file}: {file.parent} is not a folder")
    with open_mentions(store) as target:
        source = sqlite_file(target)
        if file.resolve() == source.resolve():
            raise InputError(f"{file} is the store itself; back it up to another file")
        partial = file.with_name(f".{file.name}.partial")
        _remove_partial(partial)
        try:
            copy_database(source, partial)
            _single_file(partial)
            count = check_backup(partial)
        except BaseException:
            _remove_partial(partial)
            raise
        partial.replace(file)
    out.print(t("backup_written", path=file, n=count), highlight=False)


@clear_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `janmat backup`.")],
    store: StoreOption = None,
    force: ForceOption = False,
) -> None:
    """Replace the SQLite store's content with a backup FILE (online backup API, one step)."""
    if not file.is_file():
        raise InputError(f"no backup file at {file}")
    count = check_backup(file)
    with open_mentions(store, create=True) as target:
        path = sqlite_file(target)
        held = target.count(MentionQuery())
        if held and not force:
            raise InputError(f"the store at {path} holds {held} mentions; give --force to replace them with the "
                             f"{count} of {file}")
    copy_database(file, path, pages=-1)
    with open_mentions(store) as target:  # opening brings an older backup up to the current schema
        restored = target.count(MentionQuery())
    out.print(t("backup_restored", path=file, n=restored), highlight=False)
