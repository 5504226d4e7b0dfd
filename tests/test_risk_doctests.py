"""The examples in the risk modules' docstrings run and give the values shown."""

from __future__ import annotations

import doctest

import pytest

from pfcrm_core.risk import capital, master_scale


@pytest.mark.parametrize("module", [capital, master_scale], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
