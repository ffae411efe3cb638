"""Shared test setup.

Tests that need torch take the `torch` fixture. Locally they skip when torch is
not installed; CI passes `--require-torch` so that a missing torch fails the run
instead of silently turning those tests into skips.
"""

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-torch",
        action="store_true",
        help="fail, rather than skip, tests that need torch when it is not installed",
    )


@pytest.fixture
def torch(request: pytest.FixtureRequest):
    try:
        import torch
    except ImportError:
        if request.config.getoption("--require-torch"):
            pytest.fail("torch is not installed but --require-torch was given")
        pytest.skip("torch is not installed")
    return torch
