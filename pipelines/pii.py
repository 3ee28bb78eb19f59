"""Personal data in text: Aadhaar numbers, Indian mobile numbers and e-mail addresses, found and masked.

- **Aadhaar**: 12 digits, written together or in groups of four split by a space or hyphen, Latin or Devanagari
  digits, that python-stdnum accepts as an Aadhaar number (first digit 2–9, not a palindrome, Verhoeff check
  digit). Twelve digits that fail the check are left alone: they are amounts, ids or phone-like counts.
- **Mobile**: ten digits starting 6–9 (together, 5+5, 3+3+4 or 4+3+3), optionally after ``+91``, ``0091``,
  ``91`` or ``0``; not when a currency sign or word is next to it (``₹ 9876543210``, ``9876543210 रुपये``).
- **E-mail**: ``name@domain.tld``.

Digits that are part of a longer run of digits are never taken (a 16-digit card number is not an Aadhaar number).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from stdnum.in_ import aadhaar

MASKS: dict[str, str] = {"email": "xxxxx@xxxxx", "aadhaar": "XXXX XXXX XXXX", "mobile": "XXXXX XXXXX"}
"""What each kind is replaced with: the shape stays readable, the person is gone."""

_D = "[0-9०-९]"
_SEP = "[ \u00a0-]"
_NOT_AFTER_DIGITS = rf"(?<![0-9०-९+])(?<![0-9०-९]{_SEP})"
_NOT_BEFORE_DIGITS = rf"(?!{_SEP}?[0-9०-९])"
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
                    r"(?![\w-])")
_AADHAAR = re.compile(rf"{_NOT_AFTER_DIGITS}{_D}{{4}}{_SEP}?{_D}{{4}}{_SEP}?{_D}{{4}}{_NOT_BEFORE_DIGITS}")
_TEN = rf"(?:[6-9६-९]{_D}{{9}}|[6-9६-९]{_D}{{4}}{_SEP}{_D}{{5}}|[6-9६-९]{_D}{{2}}{_SEP}{_D}{{3}}{_SEP}{_D}{{4}}" \
       rf"|[6-9६-९]{_D}{{3}}{_SEP}{_D}{{3}}{_SEP}{_D}{{3}})"
_MOBILE = re.compile(rf"(?:(?<![+\w])(?:\+|00)?9[1१]{_SEP}?|(?<![+\w])[0०]|(?<![+\w]){_NOT_AFTER_DIGITS})"
                     rf"{_TEN}{_NOT_BEFORE_DIGITS}")
_MONEY_BEFORE = re.compile(r"(?:₹|rs\.?|inr|रु\.?|रुपये|रुपए)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"^\s*(?:₹|rs\b|rupees?|रुपये|रुपए|रु\.?|करोड़|लाख|crore|lakh)", re.IGNORECASE)


def is_aadhaar(candidate: str) -> bool:
    """True for 12 digits (any separators, Latin or Devanagari) that make a valid Aadhaar number."""
    digits = re.sub(_SEP, "", candidate).translate(_DEVANAGARI_DIGITS)
    return len(digits) == 12 and aadhaar.is_valid(digits)


def mask_personal_data(text: str) -> tuple[str, Counter[str]]:
    """``text`` with every e-mail address, Aadhaar number and Indian mobile number masked, and how many of each."""
    found: Counter[str] = Counter()

    def replace(kind: str) -> Callable[[re.Match[str]], str]:
        def one(match: re.Match[str]) -> str:
            if kind == "aadhaar" and not is_aadhaar(match.group()):
                return match.group()
            if kind == "mobile" and _is_money(match):
                return match.group()
            found[kind] += 1
            return MASKS[kind]
        return one

    for kind, pattern in (("email", _EMAIL), ("aadhaar", _AADHAAR), ("mobile", _MOBILE)):
        text = pattern.sub(replace(kind), text)
    return text, found


def _is_money(match: re.Match[str]) -> bool:
    """A number with a currency sign or word right before or after it is an amount, not a phone."""
    text = match.string
    return bool(_MONEY_BEFORE.search(text[max(0, match.start() - 8):match.start()])
                or _MONEY_AFTER.match(text[match.end():match.end() + 10]))
