"""Build settings: one typed object, filled in one place for each way in.

``Settings`` says which data file to build and where maintainers edit it. It is
filled

* by the MkDocs hook, from ``extra: drejebog:`` in mkdocs.yml
  (:meth:`Settings.from_mkdocs`), where ``!ENV`` tags read the environment
  variables ``DREJEBOG_DATA``, ``DREJEBOG_REPO_URL`` and ``DREJEBOG_BRANCH``;
* by the command line, from its options (``drejebog.cli``); ``drejebog
  linkcheck`` builds the site in process and hands its ``Settings`` (with the
  data it loaded already) to the hook through the MkDocs config, so nothing
  goes through the environment.

``read_mkdocs_config`` reads mkdocs.yml for the Zensical build, ``!ENV`` tags included (the
variables above, ``DREJEBOG_SITE_URL``). The link check's time limits are read here too (:func:`linkcheck_limits`):
options first, then ``DREJEBOG_LINKCHECK_URL_LIMIT`` and
``DREJEBOG_LINKCHECK_RUN_LIMIT``. No other module of the package reads
settings from the environment (``drejebog._linkchecker`` is a child process
whose parent passes it everything through its environment).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ._linkchecker import RUN_LIMIT_ENV, URL_LIMIT_ENV

if TYPE_CHECKING:
    from .linkcheck import Limits
    from .model import Runbook

DEFAULT_DATA = Path("data/tasks.yaml")
DEFAULT_BRANCH = "main"
# The key under mkdocs.yml's ``extra:`` (MkDocs passes ``extra`` to the theme's
# templates as well; Material reads none of this key).
MKDOCS_KEY = "drejebog"


@dataclass(frozen=True)
class Settings:
    """What to build and where its edit links point.

    ``data``: the data file; relative paths are relative to the folder the
    settings came from (mkdocs.yml's folder for the hook, the working directory
    for the command line).
    ``repo_url``: the GitHub repository, e.g. ``https://github.com/org/drejebog``;
    empty for none. When set, pages get edit links (Material's edit button) and
    each task links to its own line of the data file. (Not MkDocs' ``repo_url``:
    that makes every page call GitHub's API.)
    ``branch``: the branch those links point at.
    ``runbook``: the data, when the caller has loaded ``data`` already (the
    command line does before it builds); the hook then uses it instead of
    loading the file again. Not part of the settings' identity.
    """

    data: Path = DEFAULT_DATA
    repo_url: str = ""
    branch: str = DEFAULT_BRANCH
    runbook: Runbook | None = field(default=None, compare=False, repr=False)

    def resolved(self, root: Path) -> Settings:
        """The same settings with ``data`` made absolute against ``root``."""
        return Settings(
            data=(Path(root) / self.data).resolve(),
            repo_url=self.repo_url,
            branch=self.branch,
            runbook=self.runbook,
        )

    @classmethod
    def from_mkdocs(cls, value: Any, root: Path) -> Settings:
        """The settings from mkdocs.yml's ``extra: drejebog:`` (``value``), with
        ``data`` resolved against ``root``, the folder of mkdocs.yml.

        ``value`` is the mapping mkdocs.yml holds, ``None`` when the key is
        missing (the defaults), or a ``Settings`` that the command line put
        there. Raises ValueError, in Danish, for an unknown key or a value that
        is not text.
        """
        if isinstance(value, Settings):
            return value.resolved(root)
        if value is None:
            return cls().resolved(root)
        if not isinstance(value, Mapping):
            raise ValueError(
                f"extra.{MKDOCS_KEY} i mkdocs.yml skal være felterne data, repo_url og branch"
            )
        known = {"data", "repo_url", "branch"}
        unknown = sorted(str(key) for key in value if key not in known)
        if unknown:
            raise ValueError(
                f"extra.{MKDOCS_KEY} i mkdocs.yml: ukendt felt {', '.join(map(repr, unknown))}; "
                f"tilladte felter: {', '.join(sorted(known))}"
            )
        data = _text(value.get("data"), "data")
        return cls(
            data=Path(data) if data else DEFAULT_DATA,
            repo_url=_text(value.get("repo_url"), "repo_url"),
            branch=_text(value.get("branch", DEFAULT_BRANCH), "branch"),
        ).resolved(root)


def _text(value: Any, name: str) -> str:
    """A setting as text. (MkDocs' own ``!ENV`` reads values the YAML way, a branch called
    ``1.10`` as the number 1.1; the hook reads mkdocs.yml again with ``read_mkdocs_config``,
    which keeps the text, and numbers only come from a value written as one.)"""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError(f"extra.{MKDOCS_KEY}.{name} i mkdocs.yml skal være en tekst")


class _ConfigLoader(yaml.SafeLoader):
    """YAML's safe loader plus MkDocs' ``!ENV`` tag."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, ..., default]``: the first variable that is set,
    else the default (as pyyaml-env-tag reads it for MkDocs, but the value stays text)."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a name or a list", node.start_mark
        )
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data, its ``!ENV`` tags read as MkDocs reads them (for the Zensical
    build, drejebog.zensical); ValueError (Danish) if unreadable."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: kan ikke læses: {exc}") from None
    if not isinstance(config, dict):
        raise ValueError(f"{path}: skal være en YAML-mapping")
    return config


def linkcheck_limits(url: float | None = None, run: float | None = None) -> Limits:
    """The link check's time limits: the given values first, then
    ``$DREJEBOG_LINKCHECK_URL_LIMIT`` and ``$DREJEBOG_LINKCHECK_RUN_LIMIT``,
    then the defaults. Raises ValueError (Danish) for a value that is not a
    positive number."""
    from .linkcheck import Limits

    try:
        if url is None and os.environ.get(URL_LIMIT_ENV):
            url = float(os.environ[URL_LIMIT_ENV])
        if run is None and os.environ.get(RUN_LIMIT_ENV):
            run = float(os.environ[RUN_LIMIT_ENV])
    except ValueError:
        raise ValueError(
            f"{URL_LIMIT_ENV} og {RUN_LIMIT_ENV} skal være antal sekunder, fx 60"
        ) from None
    return Limits.of(url=url, run=run)
