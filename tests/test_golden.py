"""Golden files: each text stage of the sample's build, compared with tests/golden/.

The stages are the derived figures (JSON), the document model's text dump,
the HTML handed to WeasyPrint and the DOCX's word/document.xml. A mismatch
shows a unified diff; `pytest --update-golden` rewrites the files instead.
CONTRIBUTING.md says when rewriting them is legitimate.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.kinds.juesuan.derive.export import figures_to_dict, value_to_json
from yujuesuan.profiles import Profile, load_profile
from yujuesuan.render.charts import bar_chart, png_description
from yujuesuan.render.docx import render_docx
from yujuesuan.render.html import render_html

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
CASE = "qingshan-2023"
PROFILE = "wuhan"
MAX_DIFF_LINES = 60
DATA_URI = re.compile(r"data:[\w.+/-]+;base64,([A-Za-z0-9+/=]+)")


def figures_json(checked: pipeline.Checked, doc: Document, profile: Profile) -> str:
    assert checked.figures is not None
    return json.dumps(figures_to_dict(checked.figures), indent=1, ensure_ascii=False) + "\n"


def document_txt(checked: pipeline.Checked, doc: Document, profile: Profile) -> str:
    return doc.text() + "\n"


def short_data_uris(html: str) -> str:
    """Replace every base64 data: URI by what it shows.

    A chart becomes data:chart[<its Description: kind｜title｜categories｜series>]: the golden file
    says what the chart shows, not its PNG bytes, which differ between zlib builds on other
    machines (byte identity is the determinism test's job). Any other data: URI becomes
    data:<first 12 hex of the SHA-256 of its bytes>.
    """

    def digest(match: re.Match[str]) -> str:
        data = base64.b64decode(match.group(1))
        description = png_description(data)
        if description is not None:
            return f"data:chart[{description}]"
        return "data:" + hashlib.sha256(data).hexdigest()[:12]

    return DATA_URI.sub(digest, html)


def document_html(checked: pipeline.Checked, doc: Document, profile: Profile) -> str:
    return short_data_uris(render_html(doc, profile.env(autoescape=True)))


def document_xml(checked: pipeline.Checked, doc: Document, profile: Profile) -> str:
    """word/document.xml, one element per line (python-docx writes it on one line)."""
    with zipfile.ZipFile(io.BytesIO(render_docx(doc, profile.find("reference.docx")))) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return etree.tostring(root, encoding="unicode", pretty_print=True)


STAGES: dict[str, Callable[[pipeline.Checked, Document, Profile], str]] = {
    "figures.json": figures_json,
    "document.txt": document_txt,
    "document.html": document_html,
    "document.xml": document_xml,
}


@pytest.fixture(scope="module")
def built() -> tuple[pipeline.Checked, Document, Profile]:
    """The sample checked with the profile's layout year and composed, as `build` does."""
    profile = load_profile(PROFILE)
    checked = pipeline.check(SAMPLE, profile.layout_year)
    assert checked.ok, [str(f) for f in checked.findings]
    assert checked.figures is not None
    return checked, compose(checked.figures, profile), profile


def first_differences(expected: str, actual: str, name: str) -> str:
    """A unified diff of golden → actual, cut after MAX_DIFF_LINES lines."""
    diff = list(
        difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}", f"actual/{name}", n=2, lineterm=""
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        shown += f"\n… {len(diff) - MAX_DIFF_LINES} more diff lines"
    return shown


@pytest.mark.parametrize("stage", list(STAGES))
def test_stage_matches_golden(
    stage: str, built: tuple[pipeline.Checked, Document, Profile], update_golden: bool
) -> None:
    actual = STAGES[stage](*built)
    path = GOLDEN / CASE / stage
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing: run `pytest --update-golden` and review the new file"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(
            f"{CASE}/{stage} differs from its golden file. If the change is intended, run "
            f"`pytest --update-golden` and review the diff (see CONTRIBUTING.md).\n"
            + first_differences(expected, actual, f"{CASE}/{stage}"),
            pytrace=False,
        )


def test_short_data_uris_shows_what_a_chart_shows() -> None:
    png = bar_chart("收、支决算总计变动情况", ["收入总计"], [("2023年度", [Decimal("537.12")])], [["537.12"]])
    html = f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" alt="图1">'
    assert short_data_uris(html) == (
        '<img src="data:chart[柱状图｜收、支决算总计变动情况｜收入总计｜2023年度=537.12｜单位：万元]" alt="图1">'
    )


def test_short_data_uris_keeps_the_rest() -> None:
    png = base64.b64encode(b"\x89PNG fake").decode("ascii")
    html = f'<img src="data:image/png;base64,{png}" alt="图1">'
    expected = hashlib.sha256(b"\x89PNG fake").hexdigest()[:12]
    assert short_data_uris(html) == f'<img src="data:{expected}" alt="图1">'


# figures_to_dict's edge cases, which the sample does not reach (they would
# belong in tests/derive/test_export.py, beside the other derive tests).


def test_export_rates_round_half_up_and_unknowns_are_null() -> None:
    assert value_to_json(Share(Decimal(1), Decimal(8_000_000))) == {
        "part": "1",
        "whole": "8000000",
        "rate": "0.000013",  # 0.0000125 rounded half up, not to even
    }
    assert value_to_json(Change(Decimal("5.00"), None)) == {
        "current": "5.00",
        "previous": None,
        "diff": None,
        "rate": None,
        "direction": "",
    }
    assert value_to_json(Completion(Decimal(3), Decimal(0)))["rate"] is None
    assert value_to_json({"执行率": Decimal(100), "金额": Decimal("1E+2")}) == {"执行率": "100.000000", "金额": "100"}


def test_export_refuses_values_without_a_stable_text() -> None:
    for value in (1.5, {"a", "b"}):
        with pytest.raises(TypeError):
            value_to_json(value)
