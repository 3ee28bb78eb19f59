"""``janmat retention apply``: delete mentions older than a limit (SQLite by date; engines whole month indices, with
their ISM / ILM age policy installed and attached)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption, open_mentions
from janmat.core.i18n import t

retention_app = typer.Typer(help="Keep mentions only as long as they are needed. / उल्लेख केवल ज़रूरत भर रखें।",
                            no_args_is_help=True)


@retention_app.command("apply")
@clear_errors
def apply_command(
    older_than: Annotated[str | None, typer.Option(
        "--older-than", help="Age limit: 365d, 52w or 3y (default: JANMAT_RETENTION_MAX_AGE_DAYS days).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be deleted.")] = False,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Delete mentions older than the limit; on an engine also install its age policy (ISM / ILM)."""
    from datetime import timedelta

    from janmat.core.settings import get_settings
    from janmat.store.retention import apply_retention, parse_age

    limit = parse_age(older_than) if older_than else timedelta(days=get_settings().retention.max_age_days)
    with open_mentions(store) as target:
        report = apply_retention(target, limit, dry_run=dry_run)
    if as_json:
        payload = {"cutoff": report.cutoff.isoformat(), "dry_run": dry_run, "mentions": report.deleted_mentions,
                   "indices": report.deleted_indices, "policy": report.policy, "attached": report.attached}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    key = "retention_would" if dry_run else "retention_done"
    out.print(t(key, n=report.deleted_mentions, cutoff=report.cutoff.date().isoformat()), highlight=False)
    if report.deleted_indices:
        out.print(t("retention_indices", indices=", ".join(report.deleted_indices)), highlight=False)
    if report.policy:
        out.print(t("retention_policy", policy=report.policy, n=len(report.attached)), highlight=False)
