"""Read a spec file: only a regular file, at most ``max_bytes`` bytes, UTF-8.

The rule: the path is examined with :func:`os.stat` before it is opened, so that a directory, a
device (``/dev/zero``, ``/dev/urandom``), a FIFO or a socket is refused without reading a byte or
blocking; the file is then opened non-blocking, checked again (the path may have changed in
between), and read up to one byte past the limit, so a file that grows is refused too. Line
ends are translated as text mode translates them (``\\r\\n`` and ``\\r`` become ``\\n``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from intelgame.errors import SpecError
from intelgame.spec.limits import SpecLimits

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def read_spec_text(path: str | Path, limits: SpecLimits) -> str:
    """The text of the spec file ``path``.

    Raises
    ------
    SpecError
        When ``path`` is missing, unreadable, not a regular file, larger than
        ``limits.max_bytes``, or not UTF-8 (at the line of the first bad byte).
    """
    file = str(path)
    try:
        _check_regular(os.stat(path), file, limits)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as stream:
            _check_regular(os.fstat(stream.fileno()), file, limits)
            data = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise SpecError(f"cannot read spec: {exc.strerror or exc}", file=file) from None
    if len(data) > limits.max_bytes:
        raise _too_large(f"more than {limits.max_bytes} bytes", file, limits)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SpecError(f"cannot read spec: not UTF-8 text ({exc.reason} at byte {exc.start})",
                        file=file, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_regular(status: os.stat_result, file: str, limits: SpecLimits) -> None:
    for test, kind in _KINDS:
        if test(status.st_mode):
            raise SpecError(f"cannot read spec: it is {kind}, not a regular file", file=file)
    if not stat.S_ISREG(status.st_mode):
        raise SpecError("cannot read spec: not a regular file", file=file)
    if status.st_size > limits.max_bytes:
        raise _too_large(f"{status.st_size} bytes", file, limits)


def _too_large(size: str, file: str, limits: SpecLimits) -> SpecError:
    return SpecError(f"spec file of {size} is larger than the limit of {limits.max_bytes} bytes "
                     f"({limits.raise_hint('max_bytes')})", file=file)
