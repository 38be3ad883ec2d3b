"""Output sets: where a build's files go, what they are called, and how they replace the previous set.

- Names. ``<输出目录>/<单位>-<年度>/<单位><年度>年度部门决算[-<profile>].<ext>``: the
  wuhan profile (the default) has no suffix, any other profile adds its name,
  and a ``--templates`` folder adds its folder name and a short hash of its
  full path, so builds with different templates never overwrite each other.
  A name too long for a file name is cut in the unit-name part only (year
  and profile stay) and gets a short hash of the full name, so that two units
  never share a file; so does a name that had to be changed to be a file name.
- All or nothing. The whole set (docx, pdf, html, xlsx) is written into a
  temporary folder beside it, flushed, marked complete, and only then moved
  into place. A failure before that leaves the previous set untouched; a kill
  while moving leaves a complete temporary folder that the next build into
  the same folder finishes (an incomplete one it deletes).
- Versions. The previous set is kept whole under ``历史版本/<文件名>/<时间>/``;
  the newest :data:`KEEP` sets are kept (folders named by local time,
  ``20240301-093000-123456``), older ones are deleted.
- Links. No output path (the unit folder, a file name, 历史版本) may be a
  symbolic link: writing through it or keeping its target as a "version" would
  copy a file from elsewhere, so the build refuses instead.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from yujuesuan.errors import UsageError
from yujuesuan.oserrors import reason
from yujuesuan.write import MAX_NAME_BYTES, fsync_dir, safe_filename, same_file

DEFAULT_PROFILE = "wuhan"
EXTENSIONS = ("docx", "pdf", "html", "xlsx")
VERSIONS = "历史版本"
KEEP = 5  # previous sets kept per output name
TMP_PREFIX = ".yujuesuan-tmp-"
MANIFEST = "MANIFEST.json"  # written last into the temporary folder: the set is complete
COMMITTING = "COMMITTING"  # the previous set has been kept; moving the new one into place
HASH_CHARS = 8


def _digest(text: str, chars: int = HASH_CHARS) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:chars]


def fit(name: str, room: int) -> str:
    """``name`` as a file-name part of at most ``room`` UTF-8 bytes, unique for each distinct ``name``.

    A name that fits and needs no change is returned as is; otherwise it is
    cut (on a character boundary) and ends with ``-`` and a hash of the full name.
    """
    whole = safe_filename(name, limit=10_000)
    if whole == unicodedata.normalize("NFC", name).strip() and len(whole.encode("utf-8")) <= room:
        return whole
    tail = f"-{_digest(name)}"
    cut = whole.encode("utf-8")[: max(room - len(tail), 1)].decode("utf-8", errors="ignore").rstrip(" .")
    return f"{cut}{tail}"


def profile_suffix(profile: str, overlay: Path | None) -> str:
    """"" for the built-in default, ``-national-2024`` for another, ``-<profile>-<folder>-<hash>`` with templates."""
    if overlay is None:
        return "" if profile == DEFAULT_PROFILE else f"-{safe_filename(profile, limit=40)}"
    folder = Path(overlay).resolve()
    return f"-{safe_filename(profile, limit=40)}-{safe_filename(folder.name, limit=40)}-{_digest(str(folder), 6)}"


def unit_folder(base: Path, name: str, year: int) -> Path:
    """``<base>/<unit>-<year>``: the year always survives a long unit name."""
    tail = f"-{year}"
    return Path(base) / f"{fit(name, MAX_NAME_BYTES - len(tail))}{tail}"


def stem(
    name: str, year: int, profile: str = DEFAULT_PROFILE, overlay: Path | None = None, document: str = "年度部门决算"
) -> str:
    """The file name without extension: ``<unit><year><document><profile suffix>`` (document: 年部门预算 …)."""
    rest = f"{year}{document}{profile_suffix(profile, overlay)}"
    return fit(name, MAX_NAME_BYTES - len(rest.encode("utf-8"))) + rest


def write_set(
    folder: Path, file_stem: str, outputs: Mapping[str, bytes], protect: Path | None = None, keep: int = KEEP
) -> list[Path]:
    """Write ``outputs`` ({ext: bytes}) as ``folder/<file_stem>.<ext>``, all together; return the paths.

    Files of the previous set with the same stem (any extension) are kept under
    历史版本 and leave the folder: afterwards it holds exactly the new set.
    """
    if not outputs:
        raise ValueError("write_set needs at least one output")  # an empty set would only retire the previous one
    folder = Path(folder)
    _refuse_link(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"无法创建输出目录 {folder}：{reason(error)}") from None
    recover(folder)
    targets = [folder / f"{file_stem}.{ext}" for ext in outputs]
    for path in targets:
        _refuse_link(path)
        if path.is_dir():
            raise UsageError(f"输出文件名 {path} 处已有一个同名的文件夹：请删去或改名这个文件夹，或换一个输出目录。")
        if protect is not None and same_file(path, Path(protect)):
            raise UsageError(f"输出文件 {path} 就是输入文件：不会覆盖输入，请换一个输出目录或文件名。")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=folder))
    except OSError as error:
        raise UsageError(f"无法在目录 {folder} 中写入：{reason(error)}") from None
    try:
        for path, data in zip(targets, outputs.values()):
            _write_synced(tmp / path.name, data)
        _write_synced(tmp / MANIFEST, json.dumps({"stem": file_stem, "files": [p.name for p in targets]}).encode())
        fsync_dir(tmp)
    except BaseException as error:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(error, OSError):
            raise UsageError(f"无法在目录 {folder} 中写入：{reason(error)}") from None
        raise
    _commit(folder, tmp, keep)
    return targets


def recover(folder: Path, keep: int = KEEP) -> None:
    """Finish or remove what a killed build left in ``folder`` (temporaries of live processes are left alone)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(TMP_PREFIX) and entry.is_dir() and not entry.is_symlink():
            if _alive(entry):
                continue
            if (entry / MANIFEST).is_file():
                _commit(folder, entry, keep)  # the set was complete: finish moving it into place
            else:
                shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(".") and name.endswith(".tmp") and entry.is_file() and not entry.is_symlink():
            # write.write_atomic's temporaries (".<name>.<random>.tmp") of a killed earlier version
            if any(name.startswith(f".{p.name}.") for p in entries if not p.name.startswith(".")):
                entry.unlink(missing_ok=True)


def versions(folder: Path, file_stem: str) -> list[Path]:
    """The kept previous sets of ``file_stem``, oldest first."""
    root = Path(folder) / VERSIONS / file_stem
    if not root.is_dir() or root.is_symlink():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _commit(folder: Path, tmp: Path, keep: int) -> None:
    try:
        manifest = json.loads((tmp / MANIFEST).read_text(encoding="utf-8"))
        file_stem, names = str(manifest["stem"]), [str(n) for n in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        if not (tmp / COMMITTING).exists():
            _keep_previous(folder, file_stem, keep)
            _write_synced(tmp / COMMITTING, b"")
        for name in names:
            source = tmp / name
            if source.exists():
                _refuse_link(folder / name)
                os.replace(source, folder / name)
        for ext in EXTENSIONS:  # an old file of the set that this build did not make leaves with its set
            old = folder / f"{file_stem}.{ext}"
            if old.name not in names and old.is_file() and not old.is_symlink():
                old.unlink()
        fsync_dir(folder)
    except PermissionError:
        raise UsageError(f"无法写入目录 {folder}：文件可能正在 Word/WPS 中打开，请关闭后重试。") from None
    except OSError as error:
        raise UsageError(f"无法写入目录 {folder}：{reason(error)}") from None
    shutil.rmtree(tmp, ignore_errors=True)


def _keep_previous(folder: Path, file_stem: str, keep: int) -> None:
    """Copy (hard-link where possible) the current set into 历史版本/<stem>/<time>/, then drop the oldest."""
    current = [folder / f"{file_stem}.{ext}" for ext in EXTENSIONS]
    current = [p for p in current if p.is_file() and not p.is_symlink()]
    if not current or keep <= 0:
        return
    base = folder / VERSIONS
    root = base / file_stem
    for path in (base, root):
        _refuse_link(path)
    root.mkdir(parents=True, exist_ok=True)
    # Local time to the microsecond: names sort in the order the sets were made.
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = root / stamp
    n = 2
    while target.exists():
        target, n = root / f"{stamp}-{n:03d}", n + 1
    staging = Path(tempfile.mkdtemp(prefix=".", dir=root))
    try:
        for path in current:
            try:
                os.link(path, staging / path.name, follow_symlinks=False)
            except OSError:  # no hard links on this file system: copy the bytes
                _write_synced(staging / path.name, path.read_bytes())
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in versions(folder, file_stem)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise UsageError(
            f"输出路径 {path} 是一个符号链接：为安全起见不会跟随它写入或备份。请删去这个链接，或换一个输出目录。"
        )


def _write_synced(path: Path, data: bytes) -> None:
    # O_EXCL and O_NOFOLLOW: the name is new in a folder of our own, never a link planted there.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _alive(tmp: Path) -> bool:
    """Whether the process that made this temporary folder (its pid is in the name) still runs."""
    try:
        pid = int(tmp.name[len(TMP_PREFIX) :].split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return True  # another build of this process (a batch) may be writing it now
    if os.name != "posix":  # os.kill would end the process there: judge by age instead
        try:
            return time.time() - tmp.stat().st_mtime < 3600
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
