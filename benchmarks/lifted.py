"""``mkdocs`` with the data contract's size limits lifted, for the build benchmark only.

The contract refuses files beyond 2,000 tasks, 100 groups or 2 MB (drejebog.budget,
yamlsafe.MAX_BYTES, the schema), so that no data file can make a build take minutes or
fill a disk. The benchmark also measures the build at 10,000 tasks in 200 groups, to see
how its cost grows; this runs MkDocs' command line in this process with those limits
raised, and nothing else changed. ``python -m benchmarks.lifted build -d SITE``.
"""

from __future__ import annotations

from drejebog import budget, validate, yamlsafe

LIFTED = 10**9


def lift() -> None:
    budget.MAX_TASKS = LIFTED
    budget.MAX_PAGE_BYTES = LIFTED * 100
    yamlsafe.MAX_BYTES = LIFTED
    validate.load_schema()["properties"]["groups"]["maxItems"] = LIFTED
    validate._conforms.cache_clear()
    validate._validator.cache_clear()


if __name__ == "__main__":
    lift()
    from mkdocs.__main__ import cli

    cli()
