"""Hostile district templates, round two (issue 13 items 3 and 8): Decimal bombs, local links."""

from __future__ import annotations

import threading

import pytest

from test_sandbox import HEAD, SECTION, district, failure
from yujuesuan.sandbox.limits import RenderLimit

DECIMAL_BOMBS = {
    "scaleb then int": "{{ ((零+1).scaleb(999999))|int }}",
    "scaleb alone": "{{ (零+1).scaleb(999999) }}",
    "division chain": "{% set x = (零+1).scaleb(-900) %}{{ ((零+1) / x / x / x)|int }}",
    "power": '{{ ((零+10) ** 100000)|int }}',
    "from_float of a huge int": "{{ (零.from_float(2 ** 49000) * 10)|int }}",
    "exp": "{{ ((零+100000).exp())|int }}",
}


@pytest.mark.parametrize("payload", DECIMAL_BOMBS.values(), ids=DECIMAL_BOMBS.keys())
def test_decimal_bomb_is_an_overflow_not_a_long_c_call(sample_checked, tmp_path, payload):
    folder = district(tmp_path / "d", {SECTION: HEAD + payload + "\n"})
    problem = failure(sample_checked, folder)
    assert problem.template == SECTION and problem.line == 3
    assert "数值超出范围" in problem.detail


def test_decimal_bound_holds_off_the_main_thread(sample_checked, tmp_path):
    folder = district(tmp_path / "d", {SECTION: HEAD + DECIMAL_BOMBS["scaleb then int"] + "\n"})
    errors: list[BaseException] = []
    worker = threading.Thread(target=lambda: errors.append(failure(sample_checked, folder)))
    worker.start()
    worker.join(timeout=60)
    assert errors and "数值超出范围" in str(errors[0])
    assert not isinstance(errors[0].__cause__, RenderLimit)


def test_ordinary_decimal_arithmetic_is_unchanged(sample_checked, tmp_path):
    payload = "{{ (零 + 1) / 3 }} {{ ((零 + 2) ** 10)|int }} {{ (零 + 1).scaleb(20)|int }}"
    folder = district(tmp_path / "d", {SECTION: HEAD + payload + "\n"})
    from test_sandbox import compose_in

    text = compose_in(sample_checked, folder)
    assert "0.3333333333333333333333333333 1024 100000000000000000000" in text
