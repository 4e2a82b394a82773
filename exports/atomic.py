"""Atomic file writes: a build that dies half-way must never leave a truncated export behind.

Every writer goes through `atomic_open` (or `atomic_write_bytes`): data goes to a temporary file in the
target's own directory (same filesystem, so `os.replace` is an atomic rename), is fsync'ed, and only then
replaces the target. On any exception the temporary file is removed and the previous target is untouched.

Inside `replace_together()` the targets are replaced only once every file of the block is written, so a
build that fails on its last file (disk full) leaves all the previous files, not a mix. `locked_folder`
keeps a second writer out of a folder; `remove_stale` clears the temporary files of a killed writer.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import IO

_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")  # what _create_temp makes
# inside replace_together(): the (temporary, target) pairs waiting to be renamed
_pending: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("_pending", default=None)


class FolderBusy(OSError):
    """Another process holds the folder's lock (see locked_folder)."""


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
        waiting = _pending.get()
        if waiting is not None:
            waiting.append((tmp, target))
            return
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(directory)


@contextlib.contextmanager
def replace_together() -> Iterator[None]:
    """Every atomic write in the block replaces its target when the whole block has succeeded; if any
    fails, none does and all the temporary files are removed."""
    waiting: list[tuple[Path, Path]] = []
    token = _pending.set(waiting)
    try:
        yield
    except BaseException:
        for tmp, _ in waiting:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    finally:
        _pending.reset(token)
    for tmp, target in waiting:  # renames within one folder: they need no space and do not fail half-way
        os.replace(tmp, target)
    for directory in dict.fromkeys(target.parent for _, target in waiting):
        _fsync_dir(directory)


def adopt(tmp: Path, target: Path) -> None:
    """A temporary file another process wrote for `target` (exports/parallel.py): renamed with the
    block's own files inside replace_together(), at once outside it."""
    waiting = _pending.get()
    if waiting is not None:
        waiting.append((Path(tmp), Path(target)))
        return
    os.replace(tmp, target)
    _fsync_dir(Path(target).parent)


@contextlib.contextmanager
def locked_folder(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive lock on `directory` (created if need be) while writing into it; a second writer
    fails at once with FolderBusy instead of racing the first. The lock is the folder's own (flock), so
    no lock file is left behind, and the kernel releases it when the holder dies, even by SIGKILL. Where
    flock does not exist (Windows) the folder is not locked."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield folder
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(
                f"{folder}: another plankg build is writing there; try again when it has finished"
            ) from None
        yield folder
    finally:
        os.close(fd)  # releases the lock


def remove_stale(directory: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files a killed writer left in `directory` (call it holding locked_folder)."""
    removed = []
    for path in Path(directory).iterdir():
        if _TEMP_NAME.match(path.name) and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace `path` with `data` atomically; return the path."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)
