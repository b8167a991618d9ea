"""Links for maintainers from the pages to the data file in the repository.

The repository and branch come from the build's environment
(``DREJEBOG_REPO_URL``, ``DREJEBOG_BRANCH``), not from the data, but they end up
in every page's HTML all the same: the repository must be a plain ``https://``
address, and the branch is URL-encoded, never used as a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .urlpolicy import link_problem

_REPO = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*")


@dataclass(frozen=True)
class EditLinks:
    edit_uri: str  # for MkDocs' edit button: the branch's folder ...
    file_uri: str  # ... plus the data file, for each generated page
    line_url: Callable[[int], str]


def edit_links(repo_url: str, branch: str, data_path: str) -> EditLinks:
    """Edit links for ``data_path`` (relative to the repository) on ``branch``.

    Raises ValueError, in Danish, when ``repo_url`` is not a plain https address
    or the branch is empty.
    """
    repo = repo_url.rstrip("/")
    if not _REPO.fullmatch(repo) or link_problem(repo):
        raise ValueError(
            f"DREJEBOG_REPO_URL skal være en https-adresse som https://github.com/org/drejebog, ikke {repo_url!r}"
        )
    if not branch.strip():
        raise ValueError("DREJEBOG_BRANCH er tom; udelad den for at bruge 'main'")
    ref = quote(branch, safe="/")
    path = quote(data_path, safe="/")
    blob = f"{repo}/blob/{ref}/{path}"
    return EditLinks(
        edit_uri=f"{repo}/edit/{ref}/", file_uri=path, line_url=lambda line: f"{blob}#L{int(line)}"
    )


def for_data(repo_url: str, branch: str, data: Path, root: Path) -> EditLinks | None:
    """Edit links for the data file ``data`` (absolute, or relative to ``root``) of the
    repository checked out at ``root``: None without a repository or for a file outside it.

    Raises ValueError as ``edit_links`` does.
    """
    if not repo_url:
        return None
    root = root.resolve()
    data = (root / data).resolve()
    if not data.is_relative_to(root):
        return None
    return edit_links(repo_url, branch, data.relative_to(root).as_posix())
