"""Safe output files: written whole or not at all, never through a planted link, never clobbered by surprise.

Every file truce writes (the report, the JSON Schema, the per-run table)
goes through :class:`OutputFile`, which follows the usual recipe for
atomic replacement on POSIX file systems (see e.g. the `rename(2)` manual
and LWN's "ext4 and data loss", 2009):

1. Check the target, without following a link: a symbolic link is refused
   (unless ``follow_symlinks``, which writes to the file it points to), a
   directory, FIFO, device or socket is refused, and an existing file is
   refused unless ``force``.
2. Create a temporary file with a unique random name in the target's own
   folder, opened exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``, as
   ``mkstemp`` does), so a planted file or link at that name is never
   written through. A new file gets mode ``0o666`` less the umask (the
   kernel applies it); a replaced file keeps its mode.
3. Write, flush and ``fsync`` the data, then rename the temporary over the
   target (``os.replace``; with neither ``force`` nor an existing target,
   a hard link instead, so a file that appeared meanwhile is not
   clobbered) and ``fsync`` the folder so the rename itself is durable.
4. On any failure, an exception mid-write included, the temporary file is
   removed and the target is left as it was.

The temporary file is locked (``flock``) while it is written, so that a
later write to the same target can tell a leftover of a killed run (no
lock holder) from a write in progress, and remove only the leftover.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # not POSIX: no leftover cleaning, everything else holds
    fcntl = None

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOSE_ON_EXEC = getattr(os, "O_CLOEXEC", 0)
KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


class OutputRefused(Exception):
    """The target cannot be written as asked (a link, not a regular file, exists without force, unwritable
    folder). A user error: the message names the path and what to do."""


def temporary_name(target_name: str) -> str:
    return f".{target_name}.{secrets.token_hex(8)}.partial"


def _leftover_pattern(target_name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f".{target_name}.") + r"[0-9a-f]{16}\.partial")


def _kind(mode: int) -> str | None:
    return next((name for test, name in KINDS.items() if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


class OutputFile:
    """One file to write safely; use as a context manager, :meth:`write` the data, and it is committed on a
    clean exit (or removed on an exception).

    Opening checks the target and creates the temporary file at once, so a
    bad target or an unwritable folder is reported before any long work.
    ``OutputRefused`` for what the user must change; ``OSError`` for what
    the system refused while writing (disk full...).
    """

    def __init__(self, path: str | Path, *, force: bool = False, follow_symlinks: bool = False) -> None:
        self.path = Path(path)
        self.force = force
        self.follow_symlinks = follow_symlinks
        self._folder: int | None = None
        self._handle: int | None = None
        self._temporary: str | None = None
        self._existed = False

    # ------------------------------------------------------------------ open
    def __enter__(self) -> "OutputFile":
        try:
            self._open()
        except BaseException:
            self._discard()
            raise
        return self

    def check(self) -> None:
        """Check the target and its folder now, creating nothing: for a long job, before the work starts
        (the write itself checks again)."""
        try:
            self._check()
            if not os.access(self.target.parent, os.W_OK | os.X_OK):
                raise OutputRefused(f"{self.path}: cannot create a file in folder {self.target.parent} (permission denied)")
        finally:
            self._discard()

    def _check(self) -> os.stat_result | None:
        target = self.path
        if self.follow_symlinks and target.is_symlink():
            target = Path(os.path.realpath(target))
        self.target = target
        if target.name in ("", ".", ".."):
            raise OutputRefused(f"{self.path}: is a folder; truce writes only regular files (give a file name)")
        folder = target.parent
        try:
            self._folder = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | CLOSE_ON_EXEC)
        except FileNotFoundError:
            raise OutputRefused(f"{self.path}: folder {folder} does not exist") from None
        except NotADirectoryError:
            raise OutputRefused(f"{self.path}: {folder} is not a folder") from None
        except PermissionError:
            raise OutputRefused(f"{self.path}: cannot open folder {folder} (permission denied)") from None
        existing = self._lstat(target.name)
        if existing is not None:
            self._check_existing(existing)
        return existing

    def _open(self) -> None:
        existing = self._check()
        target, folder = self.target, self.target.parent
        self._remove_leftovers(target.name)
        for _ in range(100):
            name = temporary_name(target.name)
            try:
                self._handle = os.open(
                    name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW | CLOSE_ON_EXEC, 0o666, dir_fd=self._folder
                )
            except FileExistsError:
                continue
            except PermissionError:
                raise OutputRefused(f"{self.path}: cannot create a file in folder {folder} (permission denied)") from None
            except OSError as error:
                if error.errno == errno.EROFS:
                    raise OutputRefused(f"{self.path}: folder {folder} is on a read-only file system") from None
                raise
            self._temporary = name
            break
        else:
            raise OSError(errno.EEXIST, f"no free temporary name in {folder}")
        if fcntl is not None:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if existing is not None:
            self._keep_mode_of(existing)

    def _keep_mode_of(self, existing: os.stat_result) -> None:
        """A replaced file keeps its permissions, and its owner and group where we may set them."""
        os.fchmod(self._handle, stat.S_IMODE(existing.st_mode))
        mine = os.fstat(self._handle)
        if (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
            try:
                os.fchown(self._handle, existing.st_uid, existing.st_gid)
            except PermissionError:
                pass  # only the owner's permissions can be kept: the file becomes ours
            os.fchmod(self._handle, stat.S_IMODE(existing.st_mode))  # chown clears set-id bits

    def _lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self._folder, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def _check_existing(self, existing: os.stat_result) -> None:
        if stat.S_ISLNK(existing.st_mode):
            raise OutputRefused(
                f"{self.path}: is a symbolic link; truce does not write through links "
                "(pass --follow-symlinks to write to the file it points to)"
            )
        kind = _kind(existing.st_mode)
        if kind is not None:
            raise OutputRefused(f"{self.path}: is {kind}; truce writes only regular files")
        if not self.force:
            raise OutputRefused(f"{self.path}: exists; pass --force to overwrite it")
        self._existed = True

    def _remove_leftovers(self, target_name: str) -> None:
        """Remove temporaries of earlier writes to this target that were killed before their rename:
        regular files of ours, with the generated name, that no running write holds locked."""
        if fcntl is None:
            return
        pattern = _leftover_pattern(target_name)
        for name in os.listdir(self._folder):
            if not pattern.fullmatch(name):
                continue
            try:
                handle = os.open(name, os.O_RDONLY | NO_FOLLOW | CLOSE_ON_EXEC | getattr(os, "O_NONBLOCK", 0), dir_fd=self._folder)
            except OSError:
                continue
            try:
                found = os.fstat(handle)
                if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
                    continue
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a write in progress holds it
                now = self._lstat(name)
                if now is not None and (now.st_ino, now.st_dev) == (found.st_ino, found.st_dev):
                    os.unlink(name, dir_fd=self._folder)
            finally:
                os.close(handle)

    # ----------------------------------------------------------------- write
    def write(self, data: str | bytes) -> None:
        """Append data (text is written as UTF-8) to the temporary file."""
        if self._handle is None:
            raise RuntimeError("OutputFile.write outside its with block")
        view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
        while view:
            written = os.write(self._handle, view)
            view = view[written:]

    # ---------------------------------------------------------------- commit
    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> bool:
        if kind is not None:
            self._discard()
            return False
        try:
            self._commit()
        except BaseException:
            self._discard()
            raise
        return False

    def _commit(self) -> None:
        os.fsync(self._handle)
        name = self.target.name
        if self._existed:
            os.replace(self._temporary, name, src_dir_fd=self._folder, dst_dir_fd=self._folder)
        else:
            self._link_new(name)
        self._temporary = None
        os.close(self._handle)
        self._handle = None
        try:
            os.fsync(self._folder)
        except OSError:
            pass  # some file systems cannot sync a folder; the data itself is synced
        os.close(self._folder)
        self._folder = None

    def _link_new(self, name: str) -> None:
        """Publish a new file without clobbering one that appeared since the check."""
        try:
            os.link(self._temporary, name, src_dir_fd=self._folder, dst_dir_fd=self._folder, follow_symlinks=False)
        except OSError as error:
            hard_links = error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK)
            if hard_links and error.errno != errno.EEXIST:
                raise
            # The target appeared meanwhile, or this file system has no hard links: check again, then rename.
            appeared = self._lstat(name)
            if appeared is not None:
                self._check_existing(appeared)
            os.replace(self._temporary, name, src_dir_fd=self._folder, dst_dir_fd=self._folder)
            return
        os.unlink(self._temporary, dir_fd=self._folder)

    def _discard(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None
        if self._temporary is not None:
            try:
                os.unlink(self._temporary, dir_fd=self._folder)
            except FileNotFoundError:
                pass
            self._temporary = None
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None


def check_output(path: str | Path, *, force: bool = False, follow_symlinks: bool = False) -> None:
    """Raise ``OutputRefused`` now if ``path`` could not be written as asked (see :meth:`OutputFile.check`)."""
    OutputFile(path, force=force, follow_symlinks=follow_symlinks).check()


def write_output(path: str | Path, data: str | bytes, *, force: bool = False, follow_symlinks: bool = False) -> Path:
    """Write ``data`` to ``path`` safely (see the module's docstring); returns the path written."""
    with OutputFile(path, force=force, follow_symlinks=follow_symlinks) as output:
        output.write(data)
    return output.target
