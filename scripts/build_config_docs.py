"""Write docs/configuration.md from the settings sections in janmat/core/settings.py (the one place defaults live).

    python scripts/build_config_docs.py          # rewrite the page
    python scripts/build_config_docs.py --check  # exit 1 if the page is out of date (the tests run this)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from janmat.core.settings import JanmatSettings

PAGE = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
HEADER = """# Configuration

Every setting is an environment variable (or a line in a `.env` file in the working directory), read once per
process by `janmat.core.settings.get_settings()`. Secrets (passwords, tokens, keys) are read only from the
environment and never printed. Where a variable has an older name, both are accepted; the first one listed wins.
This page is generated from `janmat/core/settings.py` by `scripts/build_config_docs.py`; edit the settings, then
run the script.
"""


def env_names(section: type, name: str, field: FieldInfo) -> list[str]:
    """The environment variables a field is read from, preferred first."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"{section.model_config['env_prefix']}{name}".upper()]


def default_text(field: FieldInfo) -> str:
    """The default as a reader should see it."""
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "(required)"
    else:
        value = field.default
    if value is None or value in ([], {}):
        return "—"
    if isinstance(value, SecretStr):
        return "(secret)"
    if isinstance(value, Path) and str(value).startswith(str(Path.home())):
        return "(per user, see below)"
    return f"`{value}`"


def render() -> str:
    """The whole page."""
    parts = [HEADER]
    for key, holder in JanmatSettings.model_fields.items():
        section = holder.default_factory  # each section is built by its own class
        assert isinstance(section, type)
        title = (section.__doc__ or key).strip().splitlines()[0].replace("``", "`")
        parts.append(f"\n## `{key}`: {title}\n\n| variable | default | meaning |\n|---|---|---|")
        for name, field in section.model_fields.items():
            names = " / ".join(f"`{env}`" for env in env_names(section, name, field))
            meaning = " ".join((field.description or "").split()).replace("|", "\\|").replace("``", "`")
            parts.append(f"| {names} | {default_text(field)} | {meaning} |")
    parts.append("\nThe data dir defaults to the user data folder (`~/.local/share/janmat` on Linux).\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    page = render()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != page:
            print(f"{PAGE} is out of date: run python scripts/build_config_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
