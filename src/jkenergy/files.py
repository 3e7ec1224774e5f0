"""Writing outputs safely: atomic files and folders, a lock per output folder, safe names.

Everything here is generic (no model, no solver). The guarantees:

- :func:`atomic_file` and :func:`atomic_folder` write to a temporary sibling (same folder,
  so the final move is a rename within one file system) and move it into place only when
  the write has finished. A reader, or a later run, sees the old file or folder or the new
  one, never a half-written one; a write that fails or is killed leaves the old one as it
  was (a killed write may leave a hidden ``.<name>.tmp-*`` sibling, which
  :func:`remove_stale` deletes).
- :func:`folder_lock` lets one writer at a time into an output folder; a second one is
  refused at once with an :class:`~jkenergy.errors.OutputError`.
- :func:`safe_name` turns user text (a file stem, a bus name) into one file name that cannot
  leave its folder, and :func:`path_inside` checks that a joined path stays inside.
- :func:`check_output_folder` and :func:`check_output_file` find a location that cannot be
  written before any work is done.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_TMP = ".tmp-"
_OLD = ".old-"
_UNSAFE = re.compile(r"[^\w.+=-]+")
_MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; leave room for suffixes


def safe_name(text: str, *, what: str = "name") -> str:
    """A file name made from user text that cannot leave its folder.

    Every run of characters other than letters, digits, ``_ . + = -`` becomes ``_``;
    leading dots become ``_`` (no hidden, ``.`` or ``..`` names); the name is cut to 200
    bytes of UTF-8.

    Parameters
    ----------
    text : str
        A scenario file stem, a component name, ...
    what : str
        What the text is, for the error message.

    Raises
    ------
    OutputError
        If nothing usable is left (an empty text).

    Examples
    --------
    >>> safe_name("x/../.."), safe_name(".."), safe_name("JP-KR"), safe_name("九州")
    ('x_.._..', '__', 'JP-KR', '九州')
    """
    name = _UNSAFE.sub("_", str(text))
    name = re.sub(r"^\.+", lambda m: "_" * len(m.group()), name)
    name = name.encode("utf-8")[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore")
    if not name:
        raise OutputError(f"{what}: {text!r} gives no usable file name")
    return name


def path_inside(root: str | os.PathLike, *parts: str, what: str = "output") -> Path:
    """``root / parts...``, checked to resolve (symbolic links followed) inside ``root``.

    Raises
    ------
    OutputError
        If the joined path would lie outside ``root``.

    Examples
    --------
    >>> path_inside("/tmp/out", "figures", "dispatch_JP.png").as_posix()
    '/tmp/out/figures/dispatch_JP.png'
    """
    root = Path(root)
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()):
        raise OutputError(f"{what}: {path} would be written outside {root}")
    return path


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe(folder: Path, what: str, path: Path) -> None:
    """Create and remove a file in ``folder``: the one test of writability that is right
    for every user (``os.access`` is always true for root, even on a read-only mount)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".jkenergy-probe-", dir=folder)
    except OSError as err:
        raise OutputError(f"{what}: cannot write {path}: {folder}: {err.strerror}") from None
    os.close(fd)
    os.unlink(name)


def check_output_folder(path: str | os.PathLike, *, what: str = "output folder") -> None:
    """Check that ``path`` can be written (or replaced) as a folder; write nothing there.

    Refused: an existing file, a path below a file, a folder whose parent cannot be
    written (the new folder is built beside it), an existing folder that is read-only.

    Parameters
    ----------
    path : str or os.PathLike
        The folder to write; it and its parents need not exist yet.
    what : str
        What the folder is, for the error message.

    Raises
    ------
    OutputError
        One line naming ``what``, the path and the problem.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> check_output_folder(root / "runs" / "2030")  # not there yet: fine, and not made
    >>> (root / "runs").exists()
    False
    >>> _ = (root / "notes.txt").write_text("a file")
    >>> check_output_folder(root / "notes.txt", what="--out")
    Traceback (most recent call last):
    ...
    jkenergy.errors.OutputError: --out: .../notes.txt is a file, not a folder
    >>> check_output_folder(root / "notes.txt" / "figures")
    Traceback (most recent call last):
    ...
    jkenergy.errors.OutputError: output folder: .../notes.txt/figures is below ..., which is a file
    """
    path = Path(path).absolute()
    if path.exists() and not path.is_dir():
        raise OutputError(f"{what}: {path} is a file, not a folder")
    existing = _nearest_existing(path.parent)
    if not existing.is_dir():
        raise OutputError(f"{what}: {path} is below {existing}, which is a file")
    _probe(existing, what, path)
    if path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"{what}: {path} is read-only")


def check_output_file(path: str | os.PathLike, *, what: str = "output file") -> None:
    """Check that a file can be written at ``path`` (its folder must exist).

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (it may exist: it would be replaced).
    what : str
        What the file is, for the error message.

    Raises
    ------
    OutputError
        If ``path`` is a folder, its folder is missing, is a file or cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> check_output_file(root / "result.nc")  # its folder exists: fine, nothing written
    >>> sorted(root.iterdir())
    []
    >>> check_output_file(root / "missing" / "result.nc")
    Traceback (most recent call last):
    ...
    jkenergy.errors.OutputError: output file: folder .../missing does not exist
    >>> check_output_file(root, what="--save")
    Traceback (most recent call last):
    ...
    jkenergy.errors.OutputError: --save: ... is a folder, not a file
    """
    path = Path(path).absolute()
    if path.is_dir():
        raise OutputError(f"{what}: {path} is a folder, not a file")
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"{what}: folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{what}: {path} is below {folder}, which is a file")
    _probe(folder, what, path)


def _temporary(path: Path, tag: str = _TMP) -> Path:
    return path.with_name(f".{path.name}{tag}{uuid.uuid4().hex[:12]}")


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems cannot sync folders
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """Write a file atomically: yield a temporary sibling path to write; on success it
    replaces ``path`` (after an ``fsync``); on any exception, or a kill, ``path`` is left
    as it was and the temporary file is removed (on a kill it stays, hidden).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "table.csv"
    >>> with atomic_file(target) as tmp:
    ...     _ = tmp.write_text("a,b\\n1,2\\n")
    >>> target.read_text()
    'a,b\\n1,2\\n'
    """
    path = Path(path)
    tmp = _temporary(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync(path.parent)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns False where the system or file system cannot do it.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - glibc < 2.28, musl
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # pragma: no cover
        return False
    raise OSError(code, os.strerror(code), str(b))


def _replace_folder(new: Path, final: Path) -> None:
    """Move the complete folder ``new`` to ``final``, replacing what was there whole."""
    if not final.exists():
        os.rename(new, final)
    elif _exchange(new, final):  # final now holds the new folder, new the old one
        shutil.rmtree(new)
    else:  # pragma: no cover - non-Linux: two renames; the old folder is kept until then
        old = _temporary(final, _OLD)
        os.rename(final, old)
        os.rename(new, final)
        shutil.rmtree(old)
    _fsync(final.parent)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike) -> Iterator[Path]:
    """Build a folder atomically: yield an empty temporary sibling folder to fill; on
    success it replaces ``path`` whole (an existing folder and all it held go); on any
    exception, Ctrl-C or a kill, ``path`` is left as it was.

    Hold :func:`folder_lock` around it when several processes may write ``path``.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "out"
    >>> with atomic_folder(out) as tmp:
    ...     _ = (tmp / "a.txt").write_text("first")
    >>> with atomic_folder(out) as tmp:
    ...     _ = (tmp / "b.txt").write_text("second")
    >>> sorted(p.name for p in out.iterdir())
    ['b.txt']
    """
    path = Path(path).resolve()
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    tmp.mkdir()
    try:
        yield tmp
        for file in tmp.rglob("*"):
            if file.is_file():
                _fsync(file)
        _replace_folder(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_stale(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary siblings of ``path`` left by killed writes; return them.

    Call it only while holding :func:`folder_lock` on ``path`` (no other writer is then
    using them).

    Parameters
    ----------
    path : str or os.PathLike
        The file or folder whose ``.<name>.tmp-*`` and ``.<name>.old-*`` siblings go.

    Returns
    -------
    list of pathlib.Path
        The siblings removed (empty if there were none, or if the folder is missing).

    Examples
    --------
    A write killed half-way leaves its hidden temporary sibling; other files stay:

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "out").mkdir()
    >>> (root / ".out.tmp-0123456789ab").mkdir()  # what a killed atomic_folder leaves
    >>> _ = (root / ".out.tmp-0123456789ab" / "half.csv").write_text("1,")
    >>> _ = (root / ".other.tmp-0123456789ab").write_text("another output's")
    >>> [p.name for p in remove_stale(root / "out")]
    ['.out.tmp-0123456789ab']
    >>> sorted(p.name for p in root.iterdir())
    ['.other.tmp-0123456789ab', 'out']
    >>> remove_stale(root / "out")
    []
    """
    path = Path(path).resolve()
    if not path.parent.is_dir():
        return []
    pattern = re.compile(re.escape(f".{path.name}") + r"\.(?:tmp|old)-[0-9a-f]{12}")
    stale = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    for p in stale:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
    return stale


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` beside it.

    Parameters
    ----------
    path : str or os.PathLike
        The output folder (it need not exist).

    Returns
    -------
    pathlib.Path
        Absolute, symbolic links resolved.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> lock = lock_path(root / "results")
    >>> lock.name, lock.parent == root.resolve()
    ('.results.lock', True)
    """
    path = Path(path).resolve()
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def folder_lock(path: str | os.PathLike, *, what: str = "output folder") -> Iterator[Path]:
    """Hold an exclusive lock on an output folder (a lock on its sibling ``.<name>.lock``).

    The lock is released when the block ends or the process dies; the lock file stays
    (removing it could let two writers in).

    Parameters
    ----------
    path : str or os.PathLike
        The output folder (it need not exist; the lock file's folder is made).
    what : str
        What the folder is, for the error message.

    Yields
    ------
    pathlib.Path
        The lock file (:func:`lock_path`), holding the writer's process id.

    Raises
    ------
    OutputError
        At once, if another process (or another block in this one) holds the lock.

    Examples
    --------
    >>> import os, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "out"
    >>> with folder_lock(out) as lock:
    ...     mine = lock.read_text() == f"{os.getpid()}\\n"
    ...     try:  # a second writer is refused at once, not kept waiting
    ...         with folder_lock(out, what="--out"):
    ...             pass
    ...     except OutputError as err:
    ...         refused = str(err)
    >>> lock.name, mine
    ('.out.lock', True)
    >>> print(refused)
    --out: .../out is being written by another run (lock .../.out.lock); wait for it ...
    >>> with folder_lock(out):  # released when the block ended, even by an error
    ...     print("written")
    written
    """
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            _lock(fd)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            raise OutputError(
                f"{what}: {Path(path).absolute()} is being written by another run "
                f"(lock {lock}); wait for it to end or choose another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
