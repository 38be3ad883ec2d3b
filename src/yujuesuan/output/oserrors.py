"""An OSError (a file the user named cannot be read or written) as one Chinese sentence.

Output folders that are read-only or full, a folder where the output file should go, a path
through a file, a name too long for the file system: the user can fix each, so each is a
message naming the path, never a traceback.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.EACCES: "没有写入或读取权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EISDIR: "这里已有一个同名的文件夹",
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EBUSY: "文件正被其他程序使用",
}


def reason(exc: OSError) -> str:
    """Why, in Chinese (没有权限, 磁盘已满, …); the system's own words only for a rare errno."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)


def describe(exc: OSError) -> str:
    """``无法写入或读取“<path>”：<reason>。`` with what to do."""
    path = exc.filename if exc.filename is not None else ""
    where = f"“{path}”" if path else "文件"
    return f"无法写入或读取{where}：{reason(exc)}。请检查输出文件夹（-o）是否可写、路径是否正确。"
