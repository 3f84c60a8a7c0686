"""Tablée: small tables, deep conversations."""

__version__ = "0.1.0"
