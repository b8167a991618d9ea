"""Drejebog: the runbook for newly started general practices, from YAML to pages.

This package knows nothing of MkDocs. ``load_runbook`` reads and validates the
data; ``render.render_site`` turns it into Markdown pages that any
Python-Markdown based generator (MkDocs, Zensical) can build.
"""

from .errors import DataError, DataErrors
from .load import load_runbook, parse_runbook

__all__ = ["DataError", "DataErrors", "load_runbook", "parse_runbook"]
