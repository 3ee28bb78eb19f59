"""Janmat's index templates, lifecycle policies, percolator mapping and dashboard saved objects, as package data.

The files are data, not code: ``janmat.store.templates.TEMPLATES_DIR`` finds this folder through
``importlib.resources`` so an installed wheel reads the same files as a source checkout.
"""
