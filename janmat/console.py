"""The terminal side of every command group: one stdout and one stderr console, and one way to report errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from janmat.core.errors import JanmatError
from janmat.core.i18n import t

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def clear_errors(command: F) -> F:
    """Turn Janmat's typed errors (and bad settings) into one clear line on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except JanmatError as exc:
            err.print(f"[red]{t('error')}:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            err.print(f"[red]{t('error')}:[/red] invalid configuration: {problems}", highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]
