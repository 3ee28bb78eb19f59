"""``python -m janmat`` runs the CLI."""

from janmat.cli import main

main()
