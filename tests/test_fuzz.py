"""Fuzz (issue 13): arbitrary text in every text field, arbitrary strings in every workbook cell.

Whatever the text, check gives findings (never an exception), a file that check accepts rolls
over into a file that loads and checks again, and import-xlsx either reads the workbook into a
YAML text that loads or refuses it with located findings. Hypothesis shrinks any failure to a
small example. max_examples stays modest so the default run is quick; raise it locally with
``--hypothesis-seed`` / HYPOTHESIS_PROFILE=long for a deeper search.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from hostile_data import TEXT_LINES, with_texts
from yujuesuan.errors import Findings, InputError
from yujuesuan.input.load import parse_text
from yujuesuan.pipeline import check
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.rollover import rollover
from yujuesuan.workflows.xlsx import export_workbook, layout
from yujuesuan.workflows.xlsx.importer import read_workbook

# Examples per run: the "default" / "long" Hypothesis profiles of tests/conftest.py.

# Any code point, surrogates included (the YAML escapes them), biased toward the troublesome ones.
TROUBLE = "\n\r\t\u2028\u2029\u0085\u3000\xa0\u200b\ufeff#:'\"-[]{}|>&*!%@`=+,\\"
TEXT = st.text(
    alphabet=st.one_of(st.characters(codec=None), st.sampled_from(TROUBLE)),
    max_size=60,
)
FIELDS = tuple(TEXT_LINES)


@given(texts=st.fixed_dictionaries({f: TEXT for f in FIELDS}), phone=TEXT)
def test_any_text_in_any_field_never_breaks_check_or_rollover(tmp_path_factory, sample_text, texts, phone):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "unit-2023.yaml"
    path.write_text(with_texts(sample_text, texts, phone), encoding="utf-8")
    result = check(path)  # raises nothing, whatever the text
    assert all(f.location.file == str(path) for f in result.findings)
    if result.figures is None or result.errors:
        return
    rolled = rollover(result.figures, path.name)
    parse_text(rolled.text, "rolled.yaml")
    again_path = folder / "unit-2024.yaml"
    again_path.write_text(rolled.text, encoding="utf-8")
    again = check(again_path)
    assert not [f for f in again.findings if f.rule.startswith(("yaml", "duplicate", "unknown"))], [
        f.format() for f in again.findings
    ]
    assert again.model.name == result.model.name


class Exported:
    """The sample's workbook, made once (an object, so a failing example does not print its bytes)."""

    data = b""

    def __repr__(self) -> str:
        return "<the sample's workbook>"


@pytest.fixture(scope="module")
def exported(sample_checked) -> Exported:
    book = Exported()
    book.data = export_workbook(sample_checked.figures, load_profile("wuhan"))
    return book


CELL_VALUE = st.one_of(TEXT, st.integers(-(10**20), 10**20), st.floats(allow_nan=True), st.booleans())


@given(
    edits=st.lists(
        st.tuples(st.sampled_from(layout.FACT_SHEETS), st.integers(1, 40), st.integers(1, 12), CELL_VALUE),
        min_size=1,
        max_size=8,
    )
)
def test_any_value_in_any_workbook_cell_never_breaks_import(tmp_path_factory, exported, edits):
    wb = openpyxl.load_workbook(io.BytesIO(exported.data))
    for sheet, row, col, value in edits:
        if isinstance(value, str):
            value = "".join(ch for ch in value if not 0xD800 <= ord(ch) <= 0xDFFF)  # no XML can hold these
        try:
            wb[sheet].cell(row, col).value = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):  # openpyxl refuses these itself
            continue
    out = io.BytesIO()
    wb.save(out)
    found = Findings()
    try:
        text = read_workbook(out.getvalue(), "fuzz.xlsx", "fuzz.xlsx", found)
    except InputError as exc:
        assert exc.findings and all(f.location.file.startswith("fuzz.xlsx") for f in exc.findings)
        return
    parse_text(text, "imported.yaml")  # every YAML text import writes loads
    folder = tmp_path_factory.mktemp("fuzzxl")
    path = folder / "imported.yaml"
    path.write_text(text, encoding="utf-8")
    result = check(path)
    assert not [f for f in result.findings if f.rule.startswith(("yaml", "duplicate"))], [
        f.format() for f in result.findings
    ]
