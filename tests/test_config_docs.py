"""docs/configuration.md is generated from the settings; a setting added without regenerating it fails here."""

from __future__ import annotations

import subprocess
import sys

from tests.local_site import REPO


def test_the_configuration_page_lists_every_setting_as_the_code_defines_it() -> None:
    done = subprocess.run([sys.executable, "scripts/build_config_docs.py", "--check"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_settings_field_has_a_documented_meaning() -> None:
    from janmat.core.settings import JanmatSettings

    undocumented = [f"{key}.{name}" for key, holder in JanmatSettings.model_fields.items()
                    for name, field in holder.default_factory.model_fields.items()  # type: ignore[union-attr]
                    if not (field.description or "").strip()]
    assert undocumented == []
