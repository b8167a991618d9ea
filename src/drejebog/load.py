"""Load data/tasks.yaml: bytes -> plain data -> schema -> cross-checks -> Runbook."""

from __future__ import annotations

import os
from pathlib import Path

from . import model, validate, yamlsafe
from .errors import DataError, DataErrors


def display_name(path: Path) -> str:
    """The path as a maintainer would type it: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def parse_runbook(raw: bytes, filename: str) -> model.Runbook:
    """Validate ``raw`` completely and build the model, or raise DataErrors with every mistake."""
    data, lines, errors = yamlsafe.load(raw)
    if data is not None:
        if not isinstance(data, dict):
            errors.append(
                DataError(
                    1,
                    "(filen)",
                    "filen skal begynde med felterne version, meta, contacts og groups",
                )
            )
        else:
            # A value the reader already refused (a tag, say) is None now; its
            # type error would only repeat the same mistake.
            refused = {e.path for e in errors}
            errors.extend(e for e in validate.schema_errors(data, lines) if e.path not in refused)
            errors.extend(validate.cross_check(data, lines))
    if errors:
        raise DataErrors(filename, errors)
    return model.build(data, lines)


def load_runbook(path: Path) -> model.Runbook:
    path = Path(path)
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataErrors(
            name, [DataError(1, "(filen)", f"filen kan ikke læses: {exc.strerror}")]
        ) from None
    return parse_runbook(raw, name)
