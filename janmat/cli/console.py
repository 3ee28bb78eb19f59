"""The terminal side of every command: one stdout and one stderr console, and the one way an error ends a command."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from janmat.core.errors import InputError, JanmatError, explain
from janmat.core.i18n import error_kind, message, t

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def clear_errors(command: F) -> F:
    """End ``command`` on a Janmat error or invalid settings with one line on stderr and exit code 2.

    Ctrl-C ends it with ``interrupted`` and exit code 130. Every command and the app's callback go through this.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except JanmatError as exc:
            _fail(str(exc))
        except ValidationError as exc:  # only settings are validated this late; rows and items are checked earlier
            _fail(f"invalid configuration: {explain(exc)}")
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    wrapper.reports_errors = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _fail(problem: str) -> NoReturn:
    """Print ``error: problem`` on stderr and end the command with exit code 2. In Hindi, a problem of a kind the
    interface knows is said in Hindi first, with the English detail after it (as the web app says it)."""
    kind = error_kind(problem)
    said = t(kind) if kind else ""
    if said and said != message(kind or "", "en"):
        problem = f"{said} ({problem})"
    err.print(f"[red]{t('error')}:[/red] {problem}", highlight=False)
    raise typer.Exit(EXIT_ERROR) from None


def check_out_file(path: Path) -> None:
    """End the command before any work when ``--out path`` cannot be a file to write: a folder, or in no folder."""
    if path.is_dir():
        raise InputError(f"--out {path}: that is a folder; name a file to write")
    if not path.parent.is_dir():
        raise InputError(f"--out {path}: there is no folder {path.parent}")


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failed write of ``path`` (no permission, a full disk) into one clear line."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def progress() -> Progress:
    """A progress bar on stderr, shown only on a terminal and gone when done; tasks name themselves."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )
