"""The ``janmat`` command line: one Typer app with a module per command or command group in ``janmat.cli``."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from janmat.cli.alerts import alerts_app
from janmat.cli.backup import backup, restore
from janmat.cli.brief import brief
from janmat.cli.claims import claims_app
from janmat.cli.collect import collect_app
from janmat.cli.console import clear_errors
from janmat.cli.crawl import crawl
from janmat.cli.dashboards import dashboards_app
from janmat.cli.demo import demo
from janmat.cli.doctor import doctor
from janmat.cli.engine import engine_app
from janmat.cli.eval import evaluate
from janmat.cli.ingest import ingest
from janmat.cli.monitor import monitor_app
from janmat.cli.reindex import reindex_command
from janmat.cli.retention import retention_app
from janmat.cli.schemes import schemes_app
from janmat.cli.search import search, stats
from janmat.cli.serve import serve
from janmat.cli.spool import spool_app
from janmat.cli.tag import tag
from janmat.cli.train import train_app

HELP = "Janmat (जनमत): Hindi news and social-media monitoring — crawl, tag by district, scheme and tone, search."

app = typer.Typer(name="janmat", help=HELP, no_args_is_help=True, pretty_exceptions_enable=False,
                  add_completion=False)


@app.callback()
@clear_errors
def configure(ctx: typer.Context) -> None:
    """Janmat (जनमत): Hindi news and social-media monitoring — crawl, tag by district, scheme and tone, search."""
    from janmat.core.logs import configure_logging
    from janmat.core.settings import get_settings

    try:
        settings = get_settings()  # invalid settings end every command here, as one line
    except ValidationError:
        if ctx.invoked_subcommand == "doctor":  # except the doctor, which reports them with the fix
            return
        raise
    configure_logging(settings.core.log_level, settings.core.log_json)


for command in (demo, ingest, tag, search, stats):
    app.command()(command)
app.command("eval")(evaluate)
app.command()(crawl)
app.command()(serve)
app.command()(brief)
app.command("reindex")(reindex_command)
for command in (doctor, backup, restore):
    app.command()(command)
app.add_typer(retention_app, name="retention")
app.add_typer(train_app, name="train")
app.add_typer(spool_app, name="spool")
app.add_typer(collect_app, name="collect")
app.add_typer(claims_app, name="claims")
app.add_typer(schemes_app, name="schemes")
app.add_typer(dashboards_app, name="dashboards")
app.add_typer(engine_app, name="engine")
app.add_typer(alerts_app, name="alerts")
app.add_typer(monitor_app, name="monitor")


def main() -> None:  # pragma: no cover - console entry point
    """Run the command line (``python -m janmat``)."""
    app()
