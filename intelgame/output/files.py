"""Files written whole or not at all: the one atomic writer of the package.

Every output file (the CLI's ``--out`` documents, sweep data, figures, the reproduction's report)
is written to a temporary file in the target's folder and renamed over the target only when it
is complete (``os.replace`` is atomic on POSIX within one file system), so an interrupted or
failing run never leaves a half-written file; on failure the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w", *, permissions: int | None = None,
                **options: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` (``open``'s ``mode`` and ``options``); when the block
    ends without an exception, set ``permissions`` (``mkstemp`` creates ``0o600``) and rename it
    to ``path``; otherwise delete it and re-raise. The folder is created if missing.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_file(target) as handle:
    ...     _ = handle.write("whole")
    >>> target.read_text()
    'whole'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if "b" not in mode:
            options.setdefault("encoding", "utf-8")
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
        if permissions is not None:
            os.chmod(tmp, permissions)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (:func:`atomic_file`)."""
    with atomic_file(path) as handle:
        handle.write(text)
