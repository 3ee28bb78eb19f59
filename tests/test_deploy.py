"""``deploy/``: the compose file runs commands the CLI accepts, with valid settings, and asks for web accounts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from janmat.cli.app import app

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _protected(context: Any) -> list[str]:
    """A group's subcommand name and its arguments (the attribute was renamed between click releases)."""
    return list(getattr(context, "_protected_args", None) or getattr(context, "protected_args", None) or [])


def parse(argv: list[str]) -> Any:
    """Parse ``janmat …`` argv with the real CLI down to the last subcommand, without running it."""
    assert argv[0] == "janmat", argv
    command = typer.main.get_command(app)
    context = command.make_context("janmat", list(argv[1:]))
    while hasattr(command, "get_command") and (pending := [*_protected(context), *context.args]):
        name, *rest = pending
        found = command.get_command(context, name)
        assert found is not None, f"janmat has no command {name!r}"
        command, context = found, found.make_context(name, rest, parent=context)
    return context


def test_monitor_service_runs_janmat_monitor_with_a_role_the_cli_accepts(compose: dict):
    from janmat.monitor.jobs import parse_roles

    command = compose["services"]["monitor"]["command"]
    assert isinstance(command, list) and command[:2] == ["janmat", "monitor"], "no shell loop: the service itself"
    context = parse(command)
    assert context.info_name == "monitor" and context.params["role"]
    assert parse_roles(context.params["role"])  # a role the monitor knows
    result = CliRunner().invoke(app, ["monitor", "--help"])
    assert result.exit_code == 0 and "--role" in result.output


def test_other_services_run_commands_the_cli_accepts(compose: dict):
    seen = 0
    for service in compose["services"].values():
        command = service.get("command")
        if isinstance(command, list) and command[0] == "janmat":
            parse(command)
            seen += 1
    assert seen >= 3, "monitor, web and dashboards-setup run janmat"


def test_web_service_requires_accounts(compose: dict):
    web = compose["services"]["web"]
    assert parse(web["command"]).params["host"] == "0.0.0.0"
    assert re.fullmatch(r"\$\{JANMAT_WEB_USERS:\?.+\}", web["environment"]["JANMAT_WEB_USERS"])
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    assert re.search(r"^JANMAT_WEB_USERS=", example, re.M)
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert "JANMAT_WEB_USERS" in readme and "python -m janmat.web.auth" in readme


def test_every_janmat_setting_in_compose_is_valid(compose: dict, monkeypatch: pytest.MonkeyPatch):
    from janmat.core.settings import JanmatSettings, get_settings

    for service in compose["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if not key.startswith("JANMAT_"):
                continue
            default = re.fullmatch(r"\$\{\w+:-(.*)\}", str(value))
            example = {"JANMAT_CONTACT_URL": "https://example.gov.in/contact",
                       "JANMAT_WEB_USERS": '{"asha": {"password_hash": "$argon2id$x", "role": "analyst"}}'}.get(key, "")
            resolved = default.group(1) if default else example if "${" in str(value) else str(value)
            monkeypatch.setenv(key, resolved)
        get_settings.cache_clear()
        JanmatSettings()  # a value Janmat cannot read raises here
    monitor_env = compose["services"]["monitor"]["environment"]
    assert monitor_env["JANMAT_MONITOR_METRICS_PORT"] == "9464"
    assert "127.0.0.1:9464:9464" in compose["services"]["monitor"]["ports"]
