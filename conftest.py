"""Settings for every collected test, the lesson notebooks included."""

from __future__ import annotations

import pytest

# nbval waits at most 5 s (hard-coded) for each output message of a notebook cell after the cell
# has run; on a busy 2-core machine a training cell's live view and progress bar can take longer
# to arrive, which fails the cell although it ran fine. The cell's own time limit is unchanged.
NOTEBOOK_OUTPUT_TIMEOUT_SECONDS = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if hasattr(item, "output_timeout"):  # an nbval notebook cell
            item.output_timeout = NOTEBOOK_OUTPUT_TIMEOUT_SECONDS
