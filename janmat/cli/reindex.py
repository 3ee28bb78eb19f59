"""``janmat reindex``: rebuild the engine's mention indices under the bundled templates, with no gap for readers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, out, progress
from janmat.cli.options import EngineStoreOption, open_engine


@clear_errors
def reindex_command(
    store: EngineStoreOption = None,
    recompute: Annotated[
        bool, typer.Option("--recompute", help="Rebuild Janmat's derived fields (after a normalization change).")
    ] = False,
    keep_old: Annotated[
        bool, typer.Option("--keep-old", help="Keep the old indices (write-blocked, outside the alias).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the template version is live.")] = False,
    templates_dir: Annotated[
        Path | None, typer.Option("--templates", help="Folder of index templates (default: the bundled ones).")
    ] = None,
) -> None:
    """Rebuild the mention indices under the current template version and switch the alias with no gap."""
    from janmat.store.reindex import reindex
    from janmat.store.templates import IndexTemplates

    refusal = "{url} is the embedded SQLite store; reindex is for search engines"
    with open_engine(store, refusal) as opened, progress() as bar:
        templates = IndexTemplates.load(templates_dir) if templates_dir else None
        task = bar.add_task("reindex", total=None)
        report = reindex(
            opened, templates=templates, recompute=recompute, keep_old=keep_old, force=force,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if report.new_generation == report.old_generation:
        out.print(f"template version {report.template_version} is already live; nothing to do (use --force)")
        return
    out.print(
        f"generation {report.old_generation} → {report.new_generation} (template v{report.template_version}, "
        f"{report.method}): {report.total} mention(s) in {len(report.copied)} index(es)"
    )
    if report.old_indices and not report.old_deleted:
        out.print("old indices kept, write-blocked and outside the alias: " + ", ".join(report.old_indices))
