"""The ``janmat`` command line (``[project.scripts] janmat = "janmat.cli:app"``, ``python -m janmat``)."""

from janmat.cli.app import app, main

__all__ = ["app", "main"]
