"""Typed errors raised near their cause and turned into one clear line at the edge (CLI, API)."""


class JanmatError(Exception):
    """Base of every error Janmat reports to a user."""


class ConfigError(JanmatError):
    """A setting, store URL or option is invalid."""


class InputError(JanmatError):
    """An input file, row, date or query is malformed."""


class StoreUnavailableError(JanmatError):
    """The store cannot be reached right now; the caller should spool and retry."""
