"""Read amounts, counts and texts from their YAML text, strictly, by the schema.

Money is Decimal from the scalar's text. What Excel pastes in (full-width
digits, thousands separators) is normalized and reported; what cannot be
meant as an amount (NaN, 1e999999, 1_000, ``no``) is refused with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("1e13")  # 10 万亿元: no unit's figure comes near it
# Finer than 1 分 cannot be money: 0.01 元 is 0.000001 万元.
MAX_DECIMALS = {"元": 2, "万元": 6}
# [0-9], not \d: \d and Decimal() also take Arabic-Indic and other scripts' digits.
_PLAIN = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_NUMBERISH = re.compile(r"^[-0-9.,()（）]+$")
_INVISIBLE = {
    "\u00a0": "不间断空格",
    "\u3000": "全角空格",
    "\u200b": "零宽空格",
    "\u200c": "零宽字符",
    "\u200d": "零宽字符",
    "\ufeff": "零宽字符(BOM)",
    "\u2060": "零宽字符",
}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


class AmountError(ValueError):
    """The text is not an acceptable amount; the message says why, in Chinese."""


def invisible_in(text: str) -> str | None:
    """Name the first invisible or look-alike space in ``text``, if any."""
    for ch in text:
        if ch in _INVISIBLE:
            return _INVISIBLE[ch]
    return None


def shown(text: str, limit: int = 40) -> str:
    """The text as quoted in a message: a pasted 5,000-digit value must not flood the screen."""
    return text if len(text) <= limit else text[:limit] + "…"


def halfwidth(text: str) -> str:
    """Full-width ASCII (１２３．４５, （）, ，) → ASCII; nothing else changes.

    Not NFKC: that would also read ① as 1 and ² as 2, which nobody types as an amount.
    """
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def _foreign_digit(text: str) -> str | None:
    """The first digit that is not 0-9 (Arabic-Indic, Devanagari…), if any."""
    return next((c for c in text if not c.isascii() and unicodedata.category(c) == "Nd"), None)


def parse_amount(text: str, unit: str) -> tuple[Decimal, str | None]:
    """Return (amount, note). The note says what was normalized; errors raise AmountError."""
    raw = shown(text.strip())
    changes: list[str] = []
    s = text.strip()
    if s == "":
        return Decimal(0), None
    hidden = invisible_in(s)
    if hidden:
        raise AmountError(f"金额“{raw}”中含有{hidden}，请删去后重新输入数字。")
    if (converted := halfwidth(s)) != s:
        changes.append("全角字符改为半角")
        s = converted
    if (digit := _foreign_digit(s)) is not None:
        raise AmountError(f"金额“{raw}”中的“{digit}”（U+{ord(digit):04X}）不是 0–9 的数字，请用半角数字 0–9 填写。")
    for suffix in ("万元", "元"):
        rest = s[: -len(suffix)].strip()
        if s.endswith(suffix) and _NUMBERISH.match(rest):
            if suffix != unit:
                raise AmountError(
                    f"金额“{raw}”带有单位“{suffix}”，但本文件的金额单位是“{unit}”。"
                    "请换算后只填数字（单位在“单位.金额单位”中声明一次）。"
                )
            s = rest
            changes.append(f"去掉单位“{suffix}”")
            break
    if (s.startswith("(") and s.endswith(")")) or (s.startswith("（") and s.endswith("）")):
        raise AmountError(f"“{raw}”是会计格式的负数，此处金额不能为负数。")
    if _THOUSANDS.match(s):
        changes.append("去掉千位分隔符")
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise AmountError(_explain_bad_number(raw, s))
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid text
        raise AmountError(f"“{raw}”不是金额。") from None
    if value < 0:
        raise AmountError(f"金额不能为负数（实际为 {raw}）。")
    if value >= MAX_AMOUNT:
        raise AmountError(f"金额 {raw} 过大，请检查单位和位数。")
    exponent = value.as_tuple().exponent  # an int: the pattern admits no NaN or Infinity (n, N, F)
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > MAX_DECIMALS.get(unit, 2):
        places = "两位小数" if unit == "元" else "六位小数"
        raise AmountError(f"以“{unit}”为单位的金额最多{places}（到分），实际为 {raw}。")
    if value == 0:
        value = Decimal(0)  # -0 and 0.00 read as plain zero
    note = f"已把金额“{raw}”读作 {s}（{'、'.join(changes)}）" if changes else None
    return value, note


def _explain_bad_number(raw: str, s: str) -> str:
    low = s.lower()
    if low in {"nan", ".nan", "inf", ".inf", "infinity", "-inf", "-.inf"}:
        return f"“{raw}”不是有限的金额，请填写数字。"
    if "e" in low and re.match(r"^-?[\d.]+e[-+]?\d+$", low):
        return f"金额“{raw}”用了科学计数法，请写成普通数字。"
    if "_" in s:
        return f"金额“{raw}”中不能有下划线，请写成普通数字。"
    if "," in s or "，" in s:
        return f"金额“{raw}”中的逗号位置不对，请只写数字和小数点。"
    if low in {"yes", "no", "on", "off", "true", "false", "y", "n"}:
        return f"应为金额，实际为文字“{raw}”。"
    if "%" in s or "％" in s:
        return f"应为金额，实际为百分数“{raw}”。占比和增减率由程序推算，不用填写。"
    return f"应为金额（如 437.68），实际为“{raw}”。"


def parse_count(text: str, what: str = "数量") -> int:
    """A whole, non-negative count such as vehicles or projects."""
    s = halfwidth(text.strip())
    if s == "":
        return 0
    if not re.match(r"^[0-9]+$", s):
        raise AmountError(f"{what}应为非负整数（用数字 0–9 填写），实际为“{shown(text.strip())}”。")
    # Check the length first: int() refuses more than 4,300 digits with a ValueError.
    if len(s) > 12 or int(s) > 10_000_000:
        raise AmountError(f"{what} {shown(text.strip())} 过大。")
    return int(s)


def parse_score(text: str) -> Decimal:
    """A 绩效 score or weight: a non-negative decimal up to 100."""
    s = halfwidth(text.strip())
    if not _PLAIN.match(s):
        raise AmountError(f"应为分数（如 7 或 6.5），实际为“{shown(text.strip())}”。")
    value = Decimal(s)
    if value < 0 or value > 100:
        raise AmountError(f"分数应在 0 到 100 之间，实际为 {shown(text.strip())}。")
    return value


MAX_TEXT_CHARS = 20_000  # per text field: ten pages of 正文; a document at the cap still builds in seconds


def text_problem(text: str) -> str | None:
    """Say why a text cannot go into a DOCX or PDF, or None when it can."""
    if len(text) > MAX_TEXT_CHARS:
        return (
            f"文字过长（{len(text):,} 字，每项上限 {MAX_TEXT_CHARS:,} 字），不像是一项说明。"
            "请精简；是否把整篇文档粘贴到了这里？"
        )
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            continue
        if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            return f"含有控制字符 U+{code:04X}，请删去。"
        if 0xD800 <= code <= 0xDFFF:
            return f"含有无效的字符 U+{code:04X}（孤立代理项），请删去。"
        if code in (0xFFFE, 0xFFFF):
            return f"含有无效的字符 U+{code:04X}，请删去。"
        if ch in _BIDI:
            return f"含有文字方向控制字符 U+{code:04X}，请删去。"
    return None
