"""Who is asking: accounts with Argon2 password hashes and a role (HTTP Basic), or the local user.

Roles are ordered: a viewer reads, an analyst also corrects tags, an admin also changes alert rules and claims.
Without accounts the service may only listen on the loopback interface, and every request acts as
``JANMAT_WEB_LOCAL_ROLE``; ``check_exposure`` refuses any other address until accounts are configured.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request

from janmat.core.errors import ConfigError
from janmat.core.settings import WebSettings

ROLES = ("viewer", "analyst", "admin")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    """The person behind a request and what they may do."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_password(password: str) -> str:
    """An Argon2id hash for ``JANMAT_WEB_USERS`` (``python -m janmat.web.auth PASSWORD`` prints one)."""
    return _HASHER.hash(password)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, settings: WebSettings) -> None:
    """Refuse to serve on a non-loopback address without accounts (ConfigError saying what to set)."""
    if not is_loopback(host) and not settings.users:
        raise ConfigError(
            f"refusing to listen on {host}: without accounts only 127.0.0.1 is allowed; set JANMAT_WEB_USERS "
            '(e.g. {"asha": {"password_hash": "<python -m janmat.web.auth PASSWORD>", "role": "analyst"}})'
        )


class Authenticator:
    """Checks HTTP Basic credentials against the configured accounts; a verified password is remembered (as a
    SHA-256 digest) so Argon2's deliberate slowness is paid once per user and password, not per request."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._verified: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @property
    def required(self) -> bool:
        """True when accounts are configured, so every request must name one."""
        return bool(self.settings.users)

    def user_for(self, request: Request) -> User:
        """The request's user, or 401 asking for credentials."""
        if not self.required:
            return User(name="local", role=self.settings.local_role)
        name, password = _basic_credentials(request.headers.get("authorization", ""))
        account = self.settings.users.get(name or "")
        if account is None or password is None or not self._verify(name, password, account.password_hash):
            raise HTTPException(status_code=401, detail="login required / लॉग इन करें",
                                headers={"WWW-Authenticate": 'Basic realm="janmat", charset="UTF-8"'})
        return User(name=name, role=account.role)

    def _verify(self, name: str, password: str, stored: object) -> bool:
        digest = hashlib.sha256(f"{name}\0{password}".encode()).digest()
        with self._lock:
            if self._verified.get(name) == digest:
                return True
        try:
            _HASHER.verify(stored.get_secret_value(), password)  # type: ignore[attr-defined]
        except (VerificationError, InvalidHashError):
            return False
        with self._lock:
            self._verified[name] = digest
        return True


def _basic_credentials(header: str) -> tuple[str | None, str | None]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None, None
    try:
        name, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return (name, password) if sep else (None, None)


def require(request: Request, role: str) -> User:
    """The request's user if they have ``role`` or above; 403 otherwise."""
    user: User = request.state.user
    if not user.may(role):
        raise HTTPException(status_code=403, detail=f"needs the {role} role")
    return user


if __name__ == "__main__":
    import sys

    print(hash_password(sys.argv[1]))
