"""Atomic file writes: a build that dies half-way must never leave a truncated export behind.

Every writer goes through `atomic_open` (or `atomic_write_bytes`): data goes to a temporary file in the
target's own directory (same filesystem, so `os.replace` is an atomic rename), is fsync'ed, and only then
replaces the target. On any exception the temporary file is removed and the previous target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# O_EXCL: never open a file someone else made; O_NOFOLLOW: nor a planted symlink (as tempfile.mkstemp)
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _create_temp(directory: Path, name: str) -> tuple[int, Path]:
    """A new temporary file beside the target, created with mode 0o666 so that the kernel applies the
    umask: the result gets the permissions a normal open() gives, and the umask is never read (reading
    it means setting it, which races with other threads creating files)."""
    for _ in range(100):
        tmp = directory / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name for {directory / name}")


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; best effort (not possible on every platform)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Yield a file handle whose contents replace `path` only if the block finishes without error."""
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_open supports write modes only, not {mode!r}")
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    if "b" not in mode and encoding is None:
        encoding = "utf-8"
    fd, tmp = _create_temp(directory, target.name)
    try:
        with open(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # a file replaced keeps its permissions; a new one has those of its creation (0o666 & ~umask)
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(directory)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace `path` with `data` atomically; return the path."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)
