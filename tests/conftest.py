"""Shared fixtures: the sample input, and helpers to check a changed copy of it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from yujuesuan import pipeline

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """sample_data/qingshan-2023.yaml, typed from reference/000 (武汉市青山区融媒体中心 2023)."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_checked() -> pipeline.Checked:
    """pipeline.check on the unchanged sample (read-only: do not mutate its figures)."""
    return pipeline.check(SAMPLE)


def _mutate(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old``; refuse ambiguous or line-shifting edits."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in the text, not once"
    assert old.count("\n") == new.count("\n"), "a mutation must keep the line numbers"
    return text.replace(old, new)


@pytest.fixture(scope="session")
def mutate() -> Callable[[str, str, str], str]:
    """mutate(text, old, new): ``text`` with its single ``old`` replaced by ``new``."""
    return _mutate


@pytest.fixture
def check_text(tmp_path: Path) -> Callable[..., pipeline.Checked]:
    """check_text(text, name=...): write ``text`` under tmp_path and run pipeline.check on it."""

    def run(text: str, name: str = "unit.yaml") -> pipeline.Checked:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return pipeline.check(path)

    return run


def _line_of(text: str, needle: str) -> int:
    """The 1-based line on which the single occurrence of ``needle`` starts."""
    count = text.count(needle)
    assert count == 1, f"{needle!r} occurs {count} times in the text, not once"
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="session")
def line_of() -> Callable[[str, str], int]:
    """line_of(text, needle): the 1-based line of ``needle`` (which must occur once)."""
    return _line_of


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output instead of comparing (review the diff before committing)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when pytest runs with --update-golden: golden tests rewrite their files."""
    return bool(request.config.getoption("--update-golden"))


# Hypothesis, once for the whole run (a module that loads a profile at import changes every other's):
# the default run is short and repeatable (derandomize: the same examples on every machine, so CI
# cannot turn red by chance); HYPOTHESIS_PROFILE=long draws 400 fresh examples per test.
settings.register_profile(
    "default",
    max_examples=10,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("long", parent=settings.get_profile("default"), max_examples=400, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
