"""Writing files so that a reader sees the old bytes or the new ones, never half of them.

Every file doctools writes (a build's outputs and manifest, ``check --fix``'s edits, an imported or new package) is
written to a temporary file beside its destination, flushed to the disk (``fsync``), given the mode a new file gets
under the user's umask (or the mode of the file it replaces), and renamed into place.  A link found at the
destination is replaced, never written through.  A failure removes what was staged, and an error the user can fix
(read-only disk, disk full, no permission, quota) becomes :class:`~doctools.errors.UnwritableOutput`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..errors import UnwritableOutput

STAGED = ".*.tmp"             # the pattern of staged files a killed process leaves (see clean_leftovers)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode a new file gets under the user's umask."""
    return 0o666 & ~_umask()


@contextmanager
def writing(folder: Path):
    """Turn a failure to write into *folder* that the user can fix into :class:`UnwritableOutput`."""
    try:
        yield
    except OSError as exc:
        if exc.errno in UnwritableOutput.ADVICE:
            raise UnwritableOutput.from_os_error(folder, exc) from exc
        raise


def stage(target: Path, data: bytes, mode: int) -> Path:
    """*data* written and flushed to a new temporary file beside *target*; its path.  The caller renames it with
    :func:`put_in_place` or removes it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def put_in_place(tmp: Path, target: Path) -> None:
    """Rename the staged *tmp* to *target*; a link at *target* is replaced, never written through."""
    if target.is_symlink():
        target.unlink()
    os.replace(tmp, target)


def commit_files(files: Sequence[Tuple[Path, bytes]], mode: Optional[int] = None) -> List[Path]:
    """Write every (path, bytes) of *files*: all are staged first, then renamed in the order given (a manifest
    that describes the others goes last).  Any failure removes every staged file; a failure while renaming leaves
    the files renamed so far, which is why the order matters."""
    mode = new_file_mode() if mode is None else mode
    staged: List[Tuple[Path, Path]] = []
    try:
        for target, data in files:
            with writing(target.parent):
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.append((stage(target, data, mode), target))
        for tmp, target in staged:
            with writing(target.parent):
                put_in_place(tmp, target)
    except BaseException:
        for tmp, _target in staged:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    return [target for _tmp, target in staged]


def replace_file(path: Path, data: bytes) -> None:
    """Write *data* over the file at *path*, keeping its permission bits."""
    commit_files([(path, data)], mode=path.stat().st_mode & 0o777)


def create_folder(folder: Path, files: Dict[str, bytes]) -> List[Path]:
    """Make *folder* (absent or empty) holding *files* (relative name -> bytes), all at once or not at all.

    The files are written into a hidden folder of a unique name beside it, then that folder is renamed into place:
    a failure, or a second process writing the same folder, never leaves a half-written one."""
    folder = Path(folder)
    with writing(folder.parent):
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name[:40]}.", suffix=".tmp", dir=folder.parent))
    try:
        mode = new_file_mode()
        with writing(folder):
            for name, data in files.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(staging, 0o777 & ~_umask())    # mkdtemp made it 0700; a new folder gets the umask's mode
            if folder.exists():
                folder.rmdir()            # empty: callers refuse a folder with files in it
            os.rename(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]
