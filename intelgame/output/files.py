"""Files written whole or not at all: the one atomic writer of the package.

Every output file (the CLI's ``--out`` documents, sweep data, figures, the reproduction's report)
is written to a temporary file in the target's folder and renamed over the target only when it
is complete (``os.replace`` is atomic on POSIX within one file system), so an interrupted or
failing run never leaves a half-written file; on failure the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from intelgame.errors import OutputError


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w", *, permissions: int | None = None,
                **options: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` (``open``'s ``mode`` and ``options``); when the block
    ends without an exception, give it its mode and rename it to ``path``; otherwise delete it
    and re-raise (SIGTERM too: the CLI turns it into an exception). The folder is created if
    missing.

    The file written is what ``open(path, "w")`` would have written: through a symbolic link
    (the link stays), with an existing file's mode (a new file gets ``permissions``, or
    ``0o666`` less the umask), and into the same inode when the file has other hard links
    (then the complete temporary file is copied over it: the links stay, at the price of
    atomicity for that case only).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_file(target) as handle:
    ...     _ = handle.write("whole")
    >>> target.read_text()
    'whole'
    """
    target = Path(os.path.realpath(path))
    try:  # a path that cannot be written is the user's to fix: exit 2 with the reason
        if target.is_dir():
            raise IsADirectoryError(21, "is a folder, not a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        existing = target.stat() if target.exists() else None
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        if "b" not in mode:
            options.setdefault("encoding", "utf-8")
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
        else:
            os.chmod(tmp, permissions if permissions is not None else 0o666 & ~_umask())
        if existing is not None and existing.st_nlink > 1:
            shutil.copyfile(tmp, target)
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (:func:`atomic_file`)."""
    with atomic_file(path) as handle:
        handle.write(text)


def check_output(path: Path, *, folder: bool = False) -> None:
    """Raise :class:`~intelgame.errors.OutputError` (path and reason) unless ``path`` can be
    written as a file (or, with ``folder``, as a folder whose files are written): checked before
    any work starts, so that a long run does not end in a write error."""
    path = Path(path)
    kind = "folder" if folder else "file"
    if path.exists():
        if folder and not path.is_dir():
            raise OutputError(f"--out {path}: exists and is not a folder")
        if not folder and path.is_dir():
            raise OutputError(f"--out {path}: is a folder, not a file")
        if not folder and not path.is_file() and not path.is_symlink():
            raise OutputError(f"--out {path}: is not a regular file")
    parent = path if folder and path.is_dir() else path.parent
    while not parent.exists():  # the first existing ancestor must be a writable folder
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"--out {path}: {parent} is not a folder, so the {kind} cannot be created")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {path}: {parent} is not writable")


@contextlib.contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """Create the folder ``path`` (and missing parents) for the block; if the block fails, remove
    again those of them this created that are still empty, so that a failed run leaves no empty
    output folder behind (a folder holding anything is kept).

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with new_folder(root / "a" / "b"):
    ...         raise ValueError
    ... except ValueError:
    ...     pass
    >>> list(root.iterdir())
    []
    """
    path = Path(path)
    created = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        created.append(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a place where no folder can be made (/proc): the user's to fix
        raise OutputError(f"--out {path}: cannot create the folder: {exc.strerror or exc}") from None
    try:
        yield path
    except BaseException:
        for folder in created:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
