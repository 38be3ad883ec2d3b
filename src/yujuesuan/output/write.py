"""Put output bytes on disk atomically, under names made safe from unit names.

A reader (or Word) sees either the old file or the new one, never half of
one; the input file is never the target, whatever path the user gave.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from yujuesuan.errors import UsageError

from .oserrors import reason

MAX_NAME_BYTES = 200  # 255-byte file-name limit, minus room for "-2023.docx" and a "-2"
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[/\\]+")
_FORBIDDEN = re.compile(r'[<>:"|?*]')


def write_atomic(path: Path, data: bytes, protect: Path | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename.

    Refuses when ``path`` is the same file as ``protect`` (the input), also
    through a symlink, a hard link or a ``..`` path.
    """
    path = Path(path)
    if protect is not None and same_file(path, Path(protect)):
        raise UsageError(f"输出文件 {path} 就是输入文件：不会覆盖输入，请换一个输出目录或文件名。")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise UsageError(f"无法在目录 {folder} 中写入：{reason(error)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file 0600; give it the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except PermissionError:
        raise UsageError(f"无法写入 {path}：文件可能正在 Word/WPS 中打开，请关闭后重试。") from None
    except OSError as error:
        raise UsageError(f"无法写入 {path}：{reason(error)}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    fsync_dir(folder)


def same_file(path: Path, protect: Path) -> bool:
    if path.resolve() == protect.resolve():
        return True
    try:
        return path.exists() and protect.exists() and os.path.samefile(path, protect)
    except OSError:
        return False


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def safe_filename(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """Return ``name`` usable as a file name on Windows, macOS and Linux, and never empty.

    Path parts become "_"-joined words (no way to climb out of the output
    folder), control, format (bidi, zero-width) and forbidden characters go,
    Windows device names get a "_" prefix, and the result stays under
    ``limit`` bytes of UTF-8 (MAX_NAME_BYTES, so "-2023.docx" still fits in 255
    bytes). Cutting may lose the end of a name: outputs.fit cuts and keeps names distinct.
    """
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"^[A-Za-z]:(?=[/\\])", "", text)  # drive letter before a separator
    text = "".join(
        " " if ch.isspace() else ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    parts = [p for p in _SEPARATORS.split(text) if p.strip(" .")]
    text = _FORBIDDEN.sub("_", "_".join(p.strip() for p in parts))
    text = re.sub(r" {2,}", " ", text)
    text = _truncate(text, limit).strip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    return text or "未命名"


def _truncate(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")
