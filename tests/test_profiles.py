"""profiles.py: built-in profiles, a district folder laid over them, and docs/TEMPLATES.md kept true."""

from __future__ import annotations

import collections
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan.context import helpers, template_context
from yujuesuan.output.sets import stem
from yujuesuan.profiles import load_profile, merge
from yujuesuan.render.docx import render_docx
from yujuesuan.resources import templates_root

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
EXAMPLE = ROOT / "examples" / "district-template"
EXAMPLE_STEM = stem("武汉市青山区融媒体中心", 2023, "wuhan", EXAMPLE)
DOC = ROOT / "docs" / "TEMPLATES.md"
STEM = "武汉市青山区融媒体中心2023年度部门决算"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# --- loading and merging -------------------------------------------------------------


def test_overlay_profile_yaml_merges_mappings_and_replaces_lists(tmp_path):
    base = load_profile("wuhan")
    folder = write(tmp_path, {"profile.yaml": 'numbers: {share_places: 1}\ntables: {"01": {title: 新表名}}\n'})
    merged = load_profile("wuhan", folder)
    assert merged.config["numbers"] == {**base.config["numbers"], "share_places": 1}
    assert merged.config["tables"]["01"] == {**base.config["tables"]["01"], "title": "新表名"}
    assert merged.config["tables"]["02"] == base.config["tables"]["02"]
    assert merged.config["outline"] == base.config["outline"]
    write(tmp_path, {"profile.yaml": "outline: [page_break]\n"})
    assert load_profile("wuhan", tmp_path).config["outline"] == ["page_break"]


def test_merge_recurses_into_mappings_only():
    assert merge({"a": {"b": 1, "c": [1]}, "d": 1}, {"a": {"c": [2]}, "e": 2}) == {
        "a": {"b": 1, "c": [2]},
        "d": 1,
        "e": 2,
    }


def test_overlay_comes_first_and_reaches_the_builtin_folders_as_base(tmp_path):
    profile = load_profile("wuhan", tmp_path)
    assert profile.folders[0] == tmp_path.resolve() and profile.builtin == profile.folders[1:]
    assert profile.builtin[0] == templates_root() / "wuhan"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: wuhan\n", "不能写 extends"),
        ("a: &x 1\nb: *x\n", "profile.yaml:1:4: .*锚点"),
        ("title: a\ntitle: b\n", "profile.yaml:2:1: .*重复"),
        ("- a\n- b\n", "应是若干“键: 值”"),
        ("title: [\n", "profile.yaml"),
    ],
)
def test_bad_overlay_profile_yaml_is_a_located_usage_error(tmp_path, text, message):
    write(tmp_path, {"profile.yaml": text})
    with pytest.raises(UsageError, match=message):
        load_profile("wuhan", tmp_path)


@pytest.mark.parametrize("name", ["../templates/wuhan", "wuhan/sections", "nosuch", "."])
def test_profile_name_must_be_a_builtin_profile(name):
    with pytest.raises(UsageError, match="没有名为"):
        load_profile(name)


def test_missing_overlay_folder(tmp_path):
    with pytest.raises(UsageError, match="模板文件夹不存在"):
        load_profile("wuhan", tmp_path / "none")


@pytest.mark.parametrize("name", ["reference.docx", "profile.yaml"])
def test_files_the_profile_reads_must_not_lead_outside(tmp_path, name):
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / name).symlink_to(secret)
    with pytest.raises(UsageError, match="指向模板文件夹之外"):
        load_profile("wuhan", folder).find(name)


def test_find_prefers_the_overlay(tmp_path):
    write(tmp_path, {"style.css": "p {}"})
    profile = load_profile("wuhan", tmp_path)
    assert profile.find("style.css") == (tmp_path / "style.css").resolve()
    assert profile.find("document.html.j2") == templates_root() / "wuhan" / "document.html.j2"
    assert profile.find("reference.docx") is None


def test_extending_base_without_changes_gives_the_same_document(sample_checked, tmp_path):
    name = "sections/03-01-收支总体.j2"
    write(tmp_path, {name: f'{{% extends "!base/{name}" %}}\n'})
    plain = compose(sample_checked.figures, load_profile("wuhan")).text()
    assert compose(sample_checked.figures, load_profile("wuhan", tmp_path)).text() == plain


# --- the example district folder, built as a user would ------------------------------


def paragraphs(docx: bytes | Path) -> list[str]:
    source = docx if isinstance(docx, Path) else io.BytesIO(docx)
    with zipfile.ZipFile(source) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def heading1_style(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/styles.xml"))
    return next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == "Heading1")


@pytest.fixture(scope="module")
def example_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example")
    proc = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "-o", str(out), "--templates", str(EXAMPLE)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = out / "武汉市青山区融媒体中心-2023"
    # The name says which templates made it, so that a build without them does not overwrite it.
    assert EXAMPLE_STEM.startswith(f"{STEM}-wuhan-district-template-")
    assert sorted(p.name for p in folder.iterdir()) == [f"{EXAMPLE_STEM}.docx", f"{EXAMPLE_STEM}.pdf"]
    return folder


@pytest.fixture(scope="module")
def baseline() -> list[str]:
    profile = load_profile("wuhan")
    checked = pipeline.check(SAMPLE, profile=profile)
    assert checked.figures is not None
    return paragraphs(render_docx(compose(checked.figures, profile)))


NEW_WORDING = "2023 年度本部门收入总计、支出总计均为 537.12 万元。与上年相比增加 41.81 万元，增长 8.44%"
OLD_WORDING = "2023 年度收、支总计 537.12 万元。与 2022 年度的 495.31 万元相比，收、支总计各增加 41.81 万元"


def test_example_changes_only_its_section_and_table_title_in_the_docx(example_build, baseline):
    changed = paragraphs(example_build / f"{EXAMPLE_STEM}.docx")
    removed = collections.Counter(baseline) - collections.Counter(changed)
    added = collections.Counter(changed) - collections.Counter(baseline)
    assert sorted(removed) == sorted(
        [next(p for p in baseline if p.startswith(OLD_WORDING)), "2023 年度收入支出决算总表"]
    )
    assert sorted(added) == sorted(
        [next(p for p in changed if p.startswith(NEW_WORDING)), "2023 年度收入支出决算总表（青山区格式）"]
    )
    assert len(changed) == len(baseline)


def test_example_reference_docx_styles_the_docx(example_build):
    rpr = heading1_style(example_build / f"{EXAMPLE_STEM}.docx").find(f"{W}rPr")
    assert rpr.find(f"{W}color").get(f"{W}val") == "8B0000"
    assert rpr.find(f"{W}sz").get(f"{W}val") == "40"
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "黑体"


def test_example_wording_and_style_css_reach_the_pdf(example_build):
    reader = PdfReader(example_build / f"{EXAMPLE_STEM}.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", NEW_WORDING) in flat and re.sub(r"\s+", "", OLD_WORDING) not in flat
    assert "（青山区格式）" in flat
    assert text.count("青山区部门决算公开") == len(reader.pages)  # the page header from style.css


def test_example_reference_docx_is_what_its_script_makes():
    sys.path.insert(0, str(EXAMPLE))
    try:
        import make_reference_docx
    finally:
        sys.path.remove(str(EXAMPLE))
    assert make_reference_docx.make() == (EXAMPLE / "reference.docx").read_bytes()


# --- docs/TEMPLATES.md lists exactly what templates see --------------------------------


def documented(section: str) -> list[str]:
    """The `names` in the first column of the tables under ``## section``."""
    body = DOC.read_text(encoding="utf-8").split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in body.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            names += re.findall(r"`([^`]+)`", line.split("|")[1])
    return names


@pytest.fixture(scope="module")
def fmt(sample_checked) -> NumberFormat:
    return NumberFormat.from_profile(sample_checked.figures.unit, load_profile("wuhan").config.get("numbers", {}))


@pytest.fixture(scope="module")
def context(sample_checked, fmt) -> dict:
    return template_context(sample_checked.figures, fmt)


def test_doc_lists_every_variable_and_nothing_else(context):
    names = documented("变量")
    assert {n.split(".")[0] for n in names} == set(context)
    for var in ("u", "m", "f"):
        keys = {n.split(".", 1)[1] for n in names if n.startswith(f"{var}.")}
        assert keys == set(context[var]), (
            f"{var}: undocumented {set(context[var]) - keys}, stale {keys - set(context[var])}"
        )


def test_doc_lists_every_helper_and_nothing_else(context, fmt):
    names = {n.split("(")[0] for n in documented("函数")}
    assert names == set(helpers(fmt)) == set(context["helpers"])


def test_doc_lists_the_jinja_globals():
    names = set(documented("Jinja 自带"))
    assert names == set(load_profile("wuhan").env(autoescape=False).globals)


def test_doc_lists_the_blocks_of_the_wuhan_sections():
    blocks = {}
    for path in sorted((templates_root() / "wuhan" / "sections").glob("*.j2")):
        found = re.findall(r"{%-?\s*block\s+(\S+)\s*-?%}", path.read_text(encoding="utf-8"))
        if found:
            blocks[f"sections/{path.name}"] = found
    body = DOC.read_text(encoding="utf-8").split("\n## 本区覆盖", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\s*\| `(sections/[^`*]+)` \| ([^|]+) \|", body, re.MULTILINE)
    assert {name: re.findall(r"`([^`]+)`", cells) for name, cells in rows} == blocks


def test_doc_lists_every_profile_key_and_the_code_reads_no_other():
    from yujuesuan.profiles import PROFILE_KEYS

    assert documented("profile.yaml 的键") == list(PROFILE_KEYS)
    used = set()
    for path in (ROOT / "src" / "yujuesuan").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"config(?:\.get\(|\[)\"(\w+)\"", text))
        used |= set(re.findall(r"_settings\(config, \"(\w+)\"", text))  # compose/front.py: cover, toc
    assert {"title", "outline", "cover", "toc"} <= used
    assert used <= set(PROFILE_KEYS), used - set(PROFILE_KEYS)
    for folder in [*templates_root().iterdir(), EXAMPLE]:
        if (folder / "profile.yaml").is_file():
            keys = set(re.findall(r"^(\w+):", (folder / "profile.yaml").read_text(encoding="utf-8"), re.MULTILINE))
            assert keys <= set(PROFILE_KEYS), (folder.name, keys - set(PROFILE_KEYS))
