"""Read an input file (YAML or workbook): a regular file only, never more than a hard cap of bytes.

``st_size`` is not a bound: /dev/zero reports 0 and never ends, a FIFO blocks the open until a
writer comes, and a file can grow between stat and read. So the file is opened without blocking,
checked to be regular on the descriptor itself (no race with a rename), and read up to the cap
plus one byte: the extra byte says the file is too large.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from yujuesuan.errors import Finding, InputError, Location, Severity

_CHUNK = 1 << 20


def _refuse(name: str, rule: str, message: str) -> InputError:
    return InputError(Finding(rule, Severity.ERROR, message, Location(name)))


def read_capped(path: Path, cap: int, rule: str, what: str = "输入文件") -> bytes:
    """The bytes of the regular file ``path``; InputError if it is not one, or (``rule``) exceeds ``cap``."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _refuse(name, "file", "找不到这个文件。") from None
    except IsADirectoryError:
        raise _refuse(name, "file", f"这是一个文件夹，不是{what}。") from None
    except OSError as exc:
        raise _refuse(name, "file", f"无法读取文件：{exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _refuse(name, "file", f"这是一个文件夹，不是{what}。")
        if not stat.S_ISREG(mode):
            raise _refuse(name, "file", f"这不是普通文件（是设备、管道或套接字），不能作为{what}读取。")
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(fd, min(_CHUNK, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise _refuse(name, rule, f"文件过大（超过 {cap} 字节的上限），不像是一个单位的决算数据。")
        return b"".join(chunks)
    except OSError as exc:
        raise _refuse(name, "file", f"无法读取文件：{exc.strerror}") from None
    finally:
        os.close(fd)
