"""``janmat schemes candidates|promote``: programmes outside the catalogue that stored mentions name, and promoting
one into the catalogue data file (``nlp/resources/schemes.json``) so that it is tagged as a catalogue scheme."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption, open_mentions
from janmat.core.i18n import t

schemes_app = typer.Typer(help="Candidate schemes: programmes outside the catalogue, counted and promoted.",
                          no_args_is_help=True)


@schemes_app.command("candidates")
@clear_errors
def candidates_command(
    since: Annotated[str | None, typer.Option("--since", help="Only mentions published since: YYYY-MM-DD, 7d, 24h, "
                                                              "today…")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Candidate schemes in the stored mentions, most mentions first: slug, name as written, count, last seen."""
    from janmat.store.filters import parse_when
    from janmat.store.scheme_candidates import stored_candidates

    with open_mentions(store) as mentions:
        found = stored_candidates(mentions, parse_when(since))
    if as_json:
        for candidate in found:
            sys.stdout.write(json.dumps(candidate.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    table = Table(title=t("scheme_candidates"))
    for column in ("slug", t("scheme"), t("mentions"), t("last_seen")):
        table.add_column(column)
    for candidate in found:
        last = candidate.last_seen.date().isoformat() if candidate.last_seen else "–"
        table.add_row(candidate.slug, candidate.name, str(candidate.mentions), last)
    out.print(table)


@schemes_app.command("promote")
@clear_errors
def promote_command(
    slug: Annotated[str, typer.Argument(help="The candidate's slug, as `janmat schemes candidates` lists it.")],
    name: Annotated[str | None, typer.Option("--name", help="The scheme's display name (default: the name as "
                                                            "written most often).")] = None,
    level: Annotated[str, typer.Option("--level", help="haryana, central or other.")] = "other",
    catalogue: Annotated[Path | None, typer.Option("--catalogue", help="The catalogue data file (default: "
                                                                       "nlp/resources/schemes.json).")] = None,
    store: StoreOption = None,
) -> None:
    """Write a candidate into the catalogue data file, every spelling stored for it an alias; no code changes."""
    from janmat.core.errors import InputError
    from janmat.store.scheme_candidates import stored_candidates
    from nlp.scheme_candidates import promote
    from nlp.schemes import RESOURCE

    if level not in ("haryana", "central", "other"):
        raise InputError(f"--level must be haryana, central or other, not {level!r}")
    with open_mentions(store) as mentions:
        found = {c.slug: c for c in stored_candidates(mentions)}
    names = found[slug].names if slug in found else []
    entry = promote(slug, names, display_name=name, level=level, catalogue=catalogue or RESOURCE)
    out.print(t("scheme_promoted", id=entry["id"], names=", ".join(a["text"] for a in entry["aliases"])),
              highlight=False)
