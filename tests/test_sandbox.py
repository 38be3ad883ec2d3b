"""sandbox/ (the environment, limits.py, errors.py): district templates are untrusted input (BAD_INPUTS "Templates").

Each hostile template is laid over the wuhan profile as a district folder and
composed with the sample's real figures, as `build --templates` does. It must
stop with a Chinese UsageError naming the template and line, its cause must be
the sandbox's own error, and it must never run: payloads that would touch a
marker file leave no marker.
"""

from __future__ import annotations

import io
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jinja2
import pytest
from jinja2 import select_autoescape
from jinja2.sandbox import SecurityError
from pypdf import PdfReader

from yujuesuan.compose import compose
from yujuesuan.errors import UsageError
from yujuesuan.output.build import build_document, output_dir
from yujuesuan.pipeline import Checked
from yujuesuan.profiles import Profile, load_profile
from yujuesuan.render.html import render_html
from yujuesuan.render.pdf import render_pdf
from yujuesuan.sandbox import limits
from yujuesuan.sandbox.errors import TemplateProblem
from yujuesuan.sandbox.limits import RenderLimit

SECTION = "sections/x.j2"
HEAD = "# 一、测试\n第二行。\n"  # the payload sits on line 3


def district(folder: Path, files: dict[str, str], outline: tuple[str, ...] = (SECTION,)) -> Path:
    """A district folder holding ``files``; its profile.yaml (unless given) outlines only ``outline``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"profile.yaml": "outline:\n" + "".join(f"  - section: {s}\n" for s in outline), **files}
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def compose_in(checked: Checked, folder: Path) -> str:
    assert checked.figures is not None
    return compose(checked.figures, load_profile("wuhan", folder)).text()


def failure(checked: Checked, folder: Path) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as caught:
        compose_in(checked, folder)
    return caught.value


# --- escapes --------------------------------------------------------------------

ESCAPES = {
    "CVE-2016-10745 str.format on an object": '{{ "{0.__class__}".format(u) }}',
    "CVE-2016-10745 str.format walks to os": '{{ "{0.__init__.__globals__[os]}".format(cycler) }}',
    "CVE-2019-10906 str.format_map": '{{ "{x.__class__.__base__.__subclasses__}".format_map({"x": u}) }}',
    "CVE-2024-56326 stored format method": (
        '{% set ns = namespace(run="{0.__call__.__builtins__[__import__]}".format) %}{{ ns.run(not_here) }}'
    ),
    "CVE-2024-56326 stored format on a helper": (
        '{% set ns = namespace(run="{0.__globals__[os]}".format) %}{{ ns.run(变动) }}'
    ),
    "CVE-2025-27516 attr(format)": '{{ "{0.__call__.__builtins__[__import__]}"|attr("format")(not_here) }}',
    "CVE-2025-27516 attr(format) on a helper": '{{ ("{0.__globals__[os]}"|attr("format"))(变动) }}',
    "__subclasses__ walk": "{{ ().__class__.__base__.__subclasses__() }}",
    "__subclasses__ from a figure": "{{ f.收支总计.__class__.__mro__[-1].__subclasses__() }}",
    "mro of a global type": "{{ dict.mro()[-1] }}",
    "__globals__ of a helper": "{{ 变动.__globals__ }}",
    "__globals__ of a bound helper": "{{ 金额.__globals__ }}",
    "__init__.__globals__": "{{ joiner.__init__.__globals__ }}",
    "cycler.__init__.__globals__.os": '{{ cycler.__init__.__globals__.os.system("touch MARK") }}',
    "self._TemplateReference__context": "{{ self._TemplateReference__context }}",
    "lipsum.__globals__": '{{ lipsum.__globals__["os"].system("touch MARK") }}',
    "attr(__class__)": '{{ u|attr("__class__") }}',
    "map(attribute=__class__)": '{{ [u]|map(attribute="__class__")|list }}',
    "subscript __globals__": '{{ lipsum["__globals__"] }}',
    "generator frame": '{{ ([1]|map("string")).gi_frame.f_globals }}',
    "probing with is defined": "{{ cycler.__init__ is defined }}",
    "mutating the figures": "{{ f.clear() }}",
    "mutating a list of figures": "{{ f.收入来源.append(1) }}",
    "mutating the unit": '{% set _ = u.update({"名称": "x"}) %}',
}


@pytest.mark.parametrize("payload", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_raises_security_error_and_never_runs(sample_checked, tmp_path, payload):
    marker = tmp_path / "escaped"
    folder = district(tmp_path / "d", {SECTION: HEAD + payload.replace("MARK", str(marker)) + "\n"})
    problem = failure(sample_checked, folder)
    assert isinstance(problem.__cause__, SecurityError)
    assert (problem.template, problem.line) == (SECTION, 3)
    assert str(problem).startswith(f"-: [usage] 错误：模板 {SECTION} 第 3 行：沙箱拒绝了这一操作")
    assert not marker.exists()


def test_indirect_call_from_python_code_is_sandboxed_too():
    """Jinja's own test for CVE-2024-56326: a filter calls a stored str.format method directly."""
    env = load_profile("wuhan").env(autoescape=False)
    env.filters["run"] = lambda value, arg: value.run(arg)
    source = '{% set ns = namespace(run="{0.__call__.__builtins__[__import__]}".format) %}{{ ns|run(not_here) }}'
    with pytest.raises(TemplateProblem) as caught:
        env.from_string(source).render()
    assert isinstance(caught.value.__cause__, SecurityError)


def test_escape_through_the_cli_stops_the_build_with_a_chinese_message(sample_path, tmp_path):
    marker = tmp_path / "escaped"
    payload = ESCAPES["cycler.__init__.__globals__.os"].replace("MARK", str(marker))
    folder = district(tmp_path / "d", {SECTION: HEAD + payload + "\n"})
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(sample_path), "-o", str(out), "--templates", str(folder)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert f"模板 {SECTION} 第 3 行：沙箱拒绝了这一操作" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not marker.exists() and not out.exists()


# --- StrictUndefined: a typo names the file and line -------------------------------


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "{% set c = f.收支总计 %}\n# 一、收入支出决算总体情况说明\n{{ 金额(f.收支总记.current) }} 万元。\n",
            "模板 sections/03-01-收支总体.j2 第 3 行：变量 f.收支总记 未定义（请检查拼写；",
        ),
        (
            "{% set c = f.收支总记 %}\n# 一、收入支出决算总体情况说明\n{{ 金额(c.current) }} 万元。\n",
            "模板 sections/03-01-收支总体.j2 第 3 行：变量 f.收支总记 未定义（请检查拼写；模板能用的变量和函数见 "
            "docs/TEMPLATES.md，第 1 行取值）",
        ),
        ("# 一、标题\n\n{{ 金钱(f.收支总计.current) }}\n", "模板 sections/03-01-收支总体.j2 第 3 行：变量 金钱 未定义"),
        ('# 一、标题\n\n{{ f["收支总计"]["curent"] }}\n', "第 3 行：变量 f.收支总计.curent 未定义"),
    ],
)
def test_misspelt_name_fails_with_template_and_line(sample_checked, tmp_path, lines, message):
    name = "sections/03-01-收支总体.j2"
    problem = failure(sample_checked, district(tmp_path / "d", {name: lines}, outline=(name,)))
    assert isinstance(problem.__cause__, jinja2.UndefinedError)
    assert message in str(problem)


def test_misspelt_name_in_a_profile_text_quotes_the_text(sample_checked, tmp_path):
    folder = district(tmp_path / "d", {"profile.yaml": 'title: "{{ u.名字 }}决算"\n'})
    with pytest.raises(UsageError, match=r"profile.yaml 中的模板文字“\{\{ u.名字 \}\}决算”有误：变量 u.名字 未定义"):
        compose_in(sample_checked, folder)


def test_syntax_error_names_template_and_line(sample_checked, tmp_path):
    problem = failure(sample_checked, district(tmp_path / "d", {SECTION: HEAD + "{% if %}\n"}))
    assert (problem.template, problem.line) == (SECTION, 3)
    assert "语法错误" in problem.detail


def test_python_error_in_a_template_is_a_usage_error(sample_checked, tmp_path):
    problem = failure(sample_checked, district(tmp_path / "d", {SECTION: HEAD + '{{ 1 + "a" }}\n'}))
    assert problem.line == 3 and problem.detail.startswith("运行出错：TypeError")


# --- the loader stays inside the folders ---------------------------------------------

SECRET = "root:x:0:0:secret-outside-the-folder"


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.j2").write_text(SECRET, encoding="utf-8")
    return folder


@pytest.mark.parametrize("tag", ["include", "extends", "import"])
@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "sections/../../../etc/passwd", "!base/../x"])
def test_include_outside_by_name_is_not_found(sample_checked, tmp_path, tag, name):
    statement = f'{{% {tag} "{name}" %}}' if tag != "import" else f'{{% import "{name}" as x %}}'
    problem = failure(sample_checked, district(tmp_path / "d", {SECTION: HEAD + statement + "\n"}))
    assert isinstance(problem.__cause__, jinja2.TemplateNotFound)
    assert problem.line == 3 and "找不到模板文件" in problem.detail


@pytest.mark.parametrize(
    "statement",
    ['{% include "sections/leak.j2" %}', '{% extends "sections/leak.j2" %}', '{% import "sections/leak.j2" as x %}'],
)
def test_symlink_leading_outside_is_refused(sample_checked, tmp_path, outside, statement):
    folder = district(tmp_path / "d", {SECTION: HEAD + statement + "\n"})
    (folder / "sections" / "leak.j2").symlink_to(outside / "secret.j2")
    with pytest.raises(UsageError, match="指向模板文件夹之外") as caught:
        compose_in(sample_checked, folder)
    assert SECRET not in str(caught.value)


def test_symlinked_folder_and_symlinked_section_are_refused(sample_checked, tmp_path, outside):
    folder = district(tmp_path / "d", {SECTION: HEAD + '{% include "more/secret.j2" %}\n'})
    (folder / "more").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UsageError, match="指向模板文件夹之外"):
        compose_in(sample_checked, folder)
    (folder / "sections" / "x.j2").unlink()
    (folder / "sections" / "x.j2").symlink_to(outside / "secret.j2")
    with pytest.raises(UsageError, match="指向模板文件夹之外"):
        compose_in(sample_checked, folder)


def test_symlinked_style_css_is_refused_in_the_html(sample_checked, tmp_path, outside):
    folder = district(tmp_path / "d", {SECTION: HEAD})
    (folder / "style.css").symlink_to(outside / "secret.j2")
    profile = load_profile("wuhan", folder)
    doc = compose(sample_checked.figures, profile)
    with pytest.raises(UsageError, match="指向模板文件夹之外"):
        render_html(doc, profile.env(autoescape=True))


def test_symlink_inside_the_folders_is_allowed(sample_checked, tmp_path):
    folder = district(
        tmp_path / "d", {SECTION: HEAD + '{% include "sections/part.j2" %}\n', "sections/real.j2": "正文。"}
    )
    (folder / "sections" / "part.j2").symlink_to(folder / "sections" / "real.j2")
    assert "正文。" in compose_in(sample_checked, folder)


# --- bounds: time, output, memory ------------------------------------------------------


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SECONDS", 2.0)


ALARM_HANDLER = signal.getsignal(signal.SIGALRM)
ADDRESS_LIMIT = resource.getrlimit(resource.RLIMIT_AS)


def _timer_and_limits_restored() -> None:
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == ALARM_HANDLER
    assert resource.getrlimit(resource.RLIMIT_AS) == ADDRESS_LIMIT


BOMBS = {
    "nested loop printing": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
        "输出超过 2,000,000 个字符",
    ),
    "nested loop, silent": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "运行超过 2 秒",
    ),
    "string times a billion": ('{{ "x" * 10**9 }}', "重复生成的文字或列表过长"),
    "list times a billion": ("{{ [0] * 10**9 }}", "重复生成的文字或列表过长"),
    "huge power": ("{{ 2 ** (10**8) }}", "乘方结果过大"),
    "center(10**9)": ('{{ "x"|center(10**9) }}', "参数 1000000000 过大"),
    "str.center(10**9)": ('{{ "x".center(10**9) }}', "参数 1000000000 过大"),
    "batch fill": ('{{ [1]|batch(10**9, "x")|list }}', "参数 1000000000 过大"),
    "%-format width": ('{{ "%0999999999d"|format(1) }}', "格式宽度过大"),
    "% operator width": ('{{ "%*d" % (10**9, 1) }}', "格式宽度过大"),
    "str.format width": ('{{ "{:>999999999}".format(1) }}', "格式宽度过大"),
    "range(10**9)": ("{{ range(10**9)|list }}", "range() 最多 100,000 项"),
    "recursive macro": ("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}", "嵌套过深"),
    "exponential macro": (
        "{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{{ m(n - 1) }}{% else %}x{% endif %}{% endmacro %}{{ m(40) }}",
        "运行超过 2 秒",
    ),
    "doubling a namespace string": (
        '{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
        "生成的文字或列表过长",
    ),
    "squaring with replace": (
        '{% set s = "x" * 1000 %}{% set t = s|replace("", s) %}{{ t|replace("", t)|length }}',
        "内存" if sys.platform.startswith("linux") else "",
    ),
}


@pytest.mark.parametrize(("payload", "message"), BOMBS.values(), ids=BOMBS.keys())
def test_runaway_template_stops_quickly_naming_the_template(sample_checked, tmp_path, short_deadline, payload, message):
    folder = district(tmp_path / "d", {SECTION: HEAD + payload + "\n"})
    start = time.monotonic()
    problem = failure(sample_checked, folder)
    assert time.monotonic() - start < 6
    assert problem.template == SECTION and message in problem.detail
    _timer_and_limits_restored()


def test_deadline_holds_off_the_main_thread_through_the_hooks(sample_checked, tmp_path, short_deadline):
    """No SIGALRM outside the main thread: the sandbox's call hook checks the deadline."""
    payload = "{% for i in range(100000) %}{% for j in range(100000) %}{% set x = 金额(零) %}{% endfor %}{% endfor %}"
    folder = district(tmp_path / "d", {SECTION: HEAD + payload + "\n"})
    errors: list[BaseException] = []
    worker = threading.Thread(target=lambda: errors.append(failure(sample_checked, folder)))
    start = time.monotonic()
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive() and time.monotonic() - start < 6
    assert isinstance(errors[0].__cause__, RenderLimit) and "运行超过 2 秒" in str(errors[0])


def test_runaway_document_html_stops_the_html_render(sample_checked, tmp_path, short_deadline):
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    folder = district(tmp_path / "d", {SECTION: HEAD, "document.html.j2": "<html><body>\n" + loop + "\n</body></html>"})
    profile = load_profile("wuhan", folder)
    doc = compose(sample_checked.figures, profile)
    with pytest.raises(TemplateProblem, match=r"模板 document.html.j2 第 2 行：运行超过 2 秒"):
        render_html(doc, profile.env(autoescape=True))
    _timer_and_limits_restored()


def test_bounds_leave_a_normal_build_alone(sample_checked):
    profile = load_profile("wuhan")
    text = compose(sample_checked.figures, profile).text()
    assert "收、支总计各增加 41.81 万元" in text
    _timer_and_limits_restored()


# --- HTML: autoescape, and the YAML → template → HTML → PDF chain ------------------------

HOSTILE = '<script>alert(1)</script><a rel="attachment" href="file:///etc/passwd">x</a><img src="file:///etc/passwd">'


def test_html_environment_escapes_explicitly():
    env = load_profile("wuhan").env(autoescape=True)
    assert env.autoescape is True
    assert select_autoescape()("document.html.j2") is False  # why it must be explicit
    assert env.from_string("{{ x }}").render(x=HOSTILE).startswith("&lt;script&gt;")


def _no_local_file_in(pdf: bytes) -> None:
    assert b"root:x:0:0" not in pdf and b"/EmbeddedFile" not in pdf
    assert PdfReader(io.BytesIO(pdf)).attachments == {}


def test_markup_in_yaml_comes_out_escaped_and_embeds_nothing(tmp_path, mutate, sample_text, check_text):
    text = mutate(sample_text, "  名称: 武汉市青山区融媒体中心", f"  名称: '融媒体中心{HOSTILE}'")
    text = mutate(text, "（五）承办上级交办的其他工作。", f"（五）承办上级交办的其他工作。{HOSTILE}")
    checked = check_text(text)
    assert checked.figures is not None and not checked.errors
    out = output_dir(tmp_path / "out", checked.figures)
    result = build_document(checked.figures, load_profile("wuhan"), out, ("html", "pdf"), tmp_path / "unit.yaml")
    html = next(p for p in result.written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<a rel" not in html and '<img src="file' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, headings, 主要职能
    pdf = next(p for p in result.written if p.suffix == ".pdf").read_bytes()
    _no_local_file_in(pdf)
    assert "<script>alert(1)</script>" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


DOCUMENT = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">{attack}<style>{{% include "style.css" %}}</style></head>
<body>{{% for item in blocks[:12] %}}{{% if item.kind == "paragraph" %}}<p>{{{{ item.text }}}}</p>{{% endif %}}
{{% endfor %}}</body></html>
"""
ATTACKS = {
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "metadata address": '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">',
    "image": '<img src="http://169.254.169.254/">',
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_district_document_html_cannot_fetch_or_embed(sample_checked, tmp_path, attack):
    folder = district(tmp_path / "d", {SECTION: HEAD, "document.html.j2": DOCUMENT.format(attack=attack)})
    profile: Profile = load_profile("wuhan", folder)
    # The build refuses it, with a Chinese message, and writes nothing.
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="模板引用了不允许的地址"):
        build_document(sample_checked.figures, profile, out, ("docx", "pdf"), tmp_path / "unit.yaml")
    assert not out.exists() or not any(out.iterdir())
    # Rendered leniently, the resource is dropped.
    html = render_html(compose(sample_checked.figures, profile), profile.env(autoescape=True))
    _no_local_file_in(render_pdf(html, profile.folders, strict=False))


def test_cli_refuses_a_district_document_html_that_fetches(sample_path, tmp_path):
    folder = district(
        tmp_path / "d", {SECTION: HEAD, "document.html.j2": DOCUMENT.format(attack=ATTACKS["attachment"])}
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(sample_path), "-o", str(out), "--templates", str(folder)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "模板引用了不允许的地址：file:///etc/passwd" in proc.stderr and "Traceback" not in proc.stderr
    assert not list(out.rglob("*.*"))
