"""Janmat (जनमत): social listening and news monitoring for Hindi."""

__version__ = "0.1.0"
