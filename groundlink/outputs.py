"""Output paths checked before any planning starts, so that a bad `--out` or `--json`
costs the user one line, not minutes of planning followed by a traceback; and writes that
fail anyway (a disk that fills up or turns read-only meanwhile) end the same way, leaving
nothing half-written behind.

Permission bits say little: root passes every `os.access` check, and a read-only mount
or a pseudo filesystem such as /proc refuses what the bits allow. So the check creates,
and removes, a probe directory where the output will go.

A file is written through a temporary sibling renamed into place, which suits a file and
nothing else: renamed over /dev/null it replaces the device node (for root, for every
program on the machine), over a symbolic link it replaces the link. So a link is followed
to the file it names; a pipe, a terminal, /dev/null, or a path naming one of this process's
descriptors (/dev/stdout, /dev/fd/3) is written straight into; any other path that is not a
file (a block device, a socket, /dev/zero) is refused."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import UsageError
from .inputs import escaped
from .processing.errors import file_kind

PROBE_PREFIX = ".groundlink-probe-"
MOUNT_TABLE = Path("/proc/self/mountinfo")  # the kernel's table of this process's mounts (proc(5))


def reason(exc: OSError) -> str:
    """An OSError in a few words for a one-line message (its strerror). A library's own wording
    around the system's (pyarrow: "Failed to open local file '<a staging path>'. Detail: [errno
    28] No space left on device") is cut to the system's: the path it names may be gone."""
    if exc.errno and exc.strerror and (system := os.strerror(exc.errno)) in exc.strerror:
        return system
    return exc.strerror or type(exc).__name__


# An open descriptor, whatever it is open on (a terminal, a pipe, a file the shell opened):
# written through, never replaced.
_DESCRIPTOR = re.compile(
    r"/dev/std(?P<std>out|err)|/dev/fd/(?P<fd>\d+)|/proc/(?P<pid>self|thread-self|\d+)/fd/(?P<pfd>\d+)"
)
# The devices a command's output may be sent to: the null device and terminals.
_OUTPUT_DEVICE = re.compile(r"/dev/(null|tty\w*|pts/\d+|console)")


def _hops(path: Path) -> list[str]:
    """`path`, absolute, then each path its symbolic links lead to in turn."""
    hops = [os.path.abspath(path)]
    while len(hops) < 40 and os.path.islink(hops[-1]):
        hops.append(os.path.normpath(os.path.join(os.path.dirname(hops[-1]), os.readlink(hops[-1]))))
    return hops


def _descriptor(path: Path) -> re.Match[str] | None:
    """The first of `path`'s hops that names an open descriptor, if one does."""
    return next((found for hop in _hops(path) if (found := _DESCRIPTOR.fullmatch(hop))), None)


def _names_a_descriptor(path: Path) -> bool:
    return _descriptor(path) is not None


def _own_descriptor(path: Path) -> int | None:
    """The number of this process's descriptor that `path` names (/dev/stdout: 1), if any."""
    found = _descriptor(path)
    if found is None:
        return None
    if found["std"]:
        return 1 if found["std"] == "out" else 2
    if found["fd"]:
        return int(found["fd"])
    return int(found["pfd"]) if found["pid"] in ("self", "thread-self", str(os.getpid())) else None


def written_in_place(path: Path) -> bool:
    """`path` is written straight into, not replaced: a descriptor of this process, a pipe,
    /dev/null or a terminal."""
    if _names_a_descriptor(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or (stat.S_ISCHR(mode) and bool(_OUTPUT_DEVICE.fullmatch(os.path.realpath(path))))


def not_writable_as_file(path: Path, streams: bool = True) -> str | None:
    """Why `path` cannot take a command's file output, or None. With `streams` false (an
    archive), a pipe, a terminal or /dev/null is refused too."""
    if str(path) == "-":
        return "standard output is not a file here; give a file path (or /dev/stdout)"
    in_place = written_in_place(path)
    if in_place and not streams:
        return "not a file; give a file path"
    if _names_a_descriptor(path) and not os.path.exists(path):
        return "no such open descriptor"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # a new file (or a broken link, whose file is created where it points)
    if stat.S_ISDIR(mode):
        return "is a directory; give a file path"
    if not (stat.S_ISREG(mode) or in_place):
        return f"{file_kind(mode)}, not a file; give a file path"
    return None


def _opened_in_place(path: Path) -> IO[str]:
    """`path` opened to write at its end. This process's own descriptor is duplicated, not
    opened anew: a second opening of the file the shell sent stdout to would keep an offset
    of its own, and the next print would overwrite the text."""
    own = _own_descriptor(path)
    if own is not None:
        return os.fdopen(os.dup(own), "w", encoding="utf-8")
    return path.open("a", encoding="utf-8")


def file_location(path: Path) -> Path:
    """Where the file `path` names lives: a symbolic link followed, so that writing it
    replaces the file and the link stays."""
    return Path(os.path.realpath(path))


def write_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`. A file is written through a temporary sibling renamed
    into place: a reader sees the old file or the new one, and a failure leaves neither a
    half-written file nor the temporary behind. A pipe, a terminal, /dev/null or a
    descriptor of this process is appended to, after what this process has printed there."""
    staged = _staged_text(path, text)
    try:
        staged.commit()
    except BaseException:
        staged.discard()
        raise


def write_texts_together(files: list[tuple[Path, str]], flag: str) -> None:
    """Write several files as one output (`plan --cloud both`'s pair): every one to its
    temporary sibling first, then all renamed into place, a stop signal held until the last is
    in. A failure or a stop while any is written leaves every file as it was, where writing
    them one after the other left one of this run beside one of the last (two specs' plans,
    which a later diff read as a pair). The parent directories created here are removed again
    on a failure; an OSError is UsageError naming the file (one line, exit 2)."""
    from . import interrupt

    missing = sorted(
        {p for path, _ in files for p in path.parents if not p.exists()}, key=lambda p: len(p.parts), reverse=True
    )
    staged: list[_StagedText] = []
    current = files[0][0] if files else Path()
    try:
        for path, text in files:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append(_staged_text(path, text))
        with interrupt.finishing(), swapping_in(staged[0].target.parent if staged else Path(".")):
            for item in staged:
                current = item.target
                item.commit()
    except BaseException as exc:
        for item in staged:
            item.discard()
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()  # only an empty one
        if isinstance(exc, OSError):
            raise UsageError(f"{flag} {current}: cannot write ({reason(exc)})") from None
        raise


def swapping_in(directory: Path) -> contextlib.AbstractContextManager[None]:
    """Hold `directory` locked (flock, exclusive) while an output's entries are moved into it: two
    runs writing one output then swap one after the other. `plan --cloud both` renamed its pair
    one file at a time, and a second run's pair landing between them left one plan of each spec,
    both runs exiting 0; two compares into one --out took each other's report for the previous one.
    Where the file system takes no lock on a directory (NFS), the swap goes on unlocked."""
    return _locked(directory, wait=True)


@contextlib.contextmanager
def _locked(directory: Path, wait: bool) -> Iterator[None]:
    """`directory` locked (exclusive; waited for if `wait`, else taken only if free) while the block runs."""
    try:
        import fcntl

        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except (ImportError, OSError):
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(handle)


def in_use(directory: Path) -> bool:
    """Whether a run holds `directory` locked (`held`): one killed outright let its lock go."""
    try:
        import fcntl

        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except (ImportError, OSError):
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as error:  # held by a run; any other failure is a file system that takes no lock
        return error.errno in (errno.EWOULDBLOCK, errno.EAGAIN)
    finally:
        os.close(handle)
    return False


def held(directory: Path) -> contextlib.AbstractContextManager[None]:
    """Hold `directory` locked while this run writes in it, so that another run can tell it from
    one a kill left behind (`in_use`); unlocked where the file system takes no such lock."""
    return _locked(directory, wait=False)


class _StagedText:
    """A file's new text in a temporary sibling (`temp`), until `commit` renames it over the
    target; None where the text was written in place (a pipe, a terminal)."""

    def __init__(self, temp: Path | None, target: Path, lock: int | None = None) -> None:
        self.temp, self.target, self._lock = temp, target, lock

    def commit(self) -> None:
        if self.temp is not None:
            keep_mode(self.temp, self.target)
            self.temp.replace(self.target)
            self.temp = None
        self._unlock()

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _locked_while_written(fd: int) -> int | None:
    """A descriptor of the temporary file holding its lock (flock, exclusive) until it is renamed
    or removed, so that a later run tells it from one a kill left (`_say_left_behind`); None
    where the file system takes no lock."""
    try:
        import fcntl

        held = os.dup(fd)
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        return None
    return held


def _say_left_behind(target: Path, short: str) -> None:
    """Name the temporary siblings of `target` that a run killed outright (SIGKILL, a power cut)
    left: hidden, they stayed beside the output through every later run. Named, never deleted,
    as compare names its own: a file system without locks cannot tell them from a run's going on."""
    import glob

    try:
        import fcntl
    except ImportError:  # no locks to tell a run's file from a killed one's
        return
    for path in sorted(target.parent.glob(f".{glob.escape(short)}.{'?' * MKSTEMP_RANDOM}.tmp")):
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # a run writing it holds it, or no lock to take: not ours to name
            continue
        finally:
            os.close(handle)
        print(
            f"groundlink: {escaped(str(path))} was left by a run that was stopped outright: a half-written "
            f"{escaped(target.name)}; delete it unless a run writing {escaped(str(target))} is still running",
            file=sys.stderr,
        )


def _staged_text(path: Path, text: str) -> _StagedText:
    problem = not_writable_as_file(path)
    if problem is not None:
        raise OSError(errno.EINVAL, problem, str(path))
    if written_in_place(path):
        sys.stdout.flush()  # what was printed before comes first on a shared terminal or file
        sys.stderr.flush()
        text = text if text.endswith("\n") else text + "\n"  # the next line starts on its own
        with _opened_in_place(path) as handle:
            handle.write(text)
        return _StagedText(None, path)
    target = file_location(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    short = sibling_stem(target.name, MKSTEMP_RANDOM + len(".tmp"), target.parent)
    _say_left_behind(target, short)
    fd, name = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=target.parent)
    lock = _locked_while_written(fd)
    try:
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        if lock is not None:
            os.close(lock)
        raise
    return _StagedText(Path(name), target, lock)


def keep_mode(replacement: Path, replaced: Path, new: int = 0o666) -> None:
    """Give `replacement`, about to be renamed over `replaced`, the permission bits `replaced`
    has, as a write into an existing file keeps them: a plan or a report the user had made
    private (0600, 0700) became readable by everyone when it was replaced. Where nothing is
    replaced, `new` less the umask, as an ordinary write creates it (not mkstemp's 0600)."""
    try:
        before = os.stat(replaced)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(replacement, new & ~mask)
        return
    _keep_group(replacement, before.st_gid)  # first: a change of group clears a file's set-id bits
    os.chmod(replacement, stat.S_IMODE(before.st_mode))


def _keep_group(replacement: Path, group: int) -> None:
    """Give `replacement` (and what a report directory holds) the group of what it replaces,
    where the user may (a member of it): a plan or a report shared with a team's group went to
    the writer's own group when replaced, and the team lost its write. Where the user may not,
    the writer's group stays, as a new file gets it."""
    if os.stat(replacement).st_gid == group:
        return
    paths = [replacement]
    if replacement.is_dir() and not replacement.is_symlink():
        paths += [Path(root, name) for root, dirs, files in os.walk(replacement) for name in (*dirs, *files)]
    try:
        for path in paths:
            os.chown(path, -1, group, follow_symlinks=False)
    except PermissionError:  # not a member of it: nothing more to try
        return


def is_mount_point(path: Path) -> bool:
    """Something is mounted at `path` (a link followed), which a rename cannot replace (EBUSY):
    a file system, or a file or directory bound onto another (`docker run -v ./plan.json:...`,
    a devcontainer's bound `out/`). `os.path.ismount` sees neither a bind mount within one file
    system nor anything through a link; the kernel's table of this process's mounts does."""
    real = os.path.realpath(path)
    if os.path.ismount(real):
        return True
    try:
        table = MOUNT_TABLE.read_text()
    except OSError:  # no /proc: what ismount said
        return False
    # field 5 is the mount point, with space, tab, newline and backslash as octal escapes
    points = {_unescaped(line.split(" ")[4]) for line in table.splitlines() if line.count(" ") >= 4}
    return real in points


def _unescaped(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def displayable(value: Any) -> Any:
    """`value` (a string, or the strings in a dict or list) as text every writer can encode: a
    path whose name is not UTF-8 reaches Python as lone surrogates (os.fsdecode), which a UTF-8
    report refuses to hold (a traceback once the plans were done), and which strict JSON readers
    refuse; each undecodable byte is shown as U+FFFD, as a terminal shows it."""
    if isinstance(value, str):
        if value.isascii():  # most of a plan's text, which no surrogate can be in: as it is
            return value
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate no file name holds
            return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {displayable(k): displayable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [displayable(v) for v in value]
    return value


MKSTEMP_RANDOM = 8  # the characters tempfile puts between a prefix and a suffix


def sibling_stem(name: str, room: int, parent: Path) -> str:
    """`name`, cut at a character, so that a hidden sibling `.NAME.` plus `room` more bytes is
    one name the file system of `parent` takes: a file or report named with NAME_MAX bytes (255)
    could not be written, as its temporary sibling's name was longer than that."""
    try:
        limit = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    while name and len(os.fsencode(f".{name}.")) + room > limit:
        name = name[:-1]
    return name


def _is_standard_output(path: Path) -> bool:
    """`path` is where this process's stdout goes (/dev/stdout, /dev/fd/1, or the file, pipe
    or terminal stdout is open on, by any name)."""
    if _own_descriptor(path) == 1:
        return True
    try:
        here, there = os.fstat(sys.stdout.fileno()), os.stat(path)
    except (OSError, ValueError, AttributeError):  # no stdout, or nothing at `path`
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def say_written(path: Path) -> None:
    """Print `wrote PATH` on stdout, unless PATH is stdout itself: there the line would follow
    the document in the stream a reader parses (`--json /dev/stdout | jq`). The path's control
    characters are printed as their escapes, as the error lines show them: an ESC went out raw."""
    if not _is_standard_output(path):
        print(f"wrote {escaped(str(path))}")


def standing(path: Path) -> str:
    """What stands at `path`, where a directory must go, in words: a broken symbolic link is
    named as one (it is no file, and nothing can be created through it)."""
    if path.is_symlink() and not path.exists():
        return f"{path} is a broken symbolic link (to {os.readlink(path)}), not a directory"
    return f"{path} is a file, not a directory"


def _check_parent(path: Path, flag: str, target: Path | None = None) -> None:
    """The nearest existing ancestor of `target` (where `path` leads; `path` itself by default)
    must be a directory this process can create entries in; no directory on the way to `path`
    as given may be a broken symbolic link (nothing can be created through one)."""
    for parent in path.parents:
        if parent.is_symlink() and not parent.exists():
            raise UsageError(f"{flag} {path}: {standing(parent)}")
    for parent in (target or path).parents:
        if not parent.exists():
            continue
        if not parent.is_dir():
            raise UsageError(f"{flag} {path}: {standing(parent)}")
        try:
            os.rmdir(tempfile.mkdtemp(prefix=PROBE_PREFIX, dir=parent))
        except OSError as exc:
            # a directory that is there answering "no such file" (/proc, /sys) takes no entries
            why = "it takes no new entries" if exc.errno == errno.ENOENT else reason(exc)
            raise UsageError(f"{flag} {path}: cannot write in {parent} ({why})") from None
        return


def _why_not_replaced(entry: Path, moved_dir: bool = False) -> str | None:
    """Why this process cannot rename another entry over `entry` (or, with `moved_dir`, move the
    directory `entry` aside), where creating a sibling beside it succeeds: the probe of
    `_check_parent` cannot see either (rename(2), EPERM and EACCES).

    - In a sticky directory (/tmp) only the entry's owner, the directory's owner or a privileged
      process may replace or remove an entry, whatever the entry's own mode.
    - A directory moved to another parent has its `..` entry rewritten, which needs write
      permission on the directory itself; its files are deleted after, which needs it too."""
    try:
        held, parent = os.lstat(entry), os.stat(entry.parent)
    except OSError:
        return None  # not there: nothing to replace
    me = os.geteuid()
    if parent.st_mode & stat.S_ISVTX and me != 0 and me not in (held.st_uid, parent.st_uid):
        return (
            f"cannot replace it: {entry.parent} is a sticky directory, where only the owner of an entry "
            "(or of the directory) may replace it, and another user owns it"
        )
    if moved_dir and stat.S_ISDIR(held.st_mode) and not os.access(entry, os.W_OK):
        return "cannot replace it: the directory is moved aside and then deleted, which needs write permission on it"
    return None


def output_path(given: str, flag: str) -> Path:
    """A file flag's value as a Path. A trailing slash says the user meant a directory, and a
    Path drops it: `--json results/` would have written a file named `results`."""
    if given.endswith(("/", os.sep)) and given.strip("/" + os.sep):
        raise UsageError(f"{flag} {given}: names a directory (it ends in /); give a file path")
    return Path(given)


def lookup_problem(path: Path) -> str | None:
    """Why the system cannot look `path` up or create it, or None: a name longer than NAME_MAX or
    a path longer than PATH_MAX (ENAMETOOLONG), a directory this process may not search, a loop of
    links. The paths a command derives from the one given (`-aws`/`-azure` beside `--json`'s, the
    files under `--out`) are checked too: pathlib's `exists` raises on those errors, and a stem
    that fitted with `.json` but not with `-azure.json` ended `plan` in a traceback."""
    try:
        os.stat(path)  # through links: a loop of them is refused (ELOOP), a broken one is a new file
        return None
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            return reason(error)
    except ValueError as error:  # a NUL in the path
        return str(error)
    whole = Path(os.path.abspath(path))
    existing = next((p for p in whole.parents if p.is_dir()), Path("/"))
    try:
        name_max, path_max = os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    # the names still to be made, on the file system of the directory they go in; the path as it
    # is given, which is what the system is handed (a relative one counts from the directory)
    made = whole.relative_to(existing).parts
    if any(len(os.fsencode(part)) > name_max for part in made) or len(os.fsencode(str(path))) >= path_max:
        return os.strerror(errno.ENAMETOOLONG)
    return None


def no_write_reason(path: Path) -> str:
    """Why `path`, which `os.access` says cannot be written, cannot: on a read-only mount its
    mode does not matter (EROFS), and "no write permission" sent the user to chmod a file that
    then failed the same way."""
    try:
        read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return os.strerror(errno.EROFS) if read_only else "no write permission"


def check_file_target(path: Path, flag: str, streams: bool = True) -> None:
    """`path` can be written as a file (it may not exist yet), or, with `streams`, written
    into as a pipe, a terminal, /dev/null or a descriptor (`not_writable_as_file`)."""
    unusable = lookup_problem(path)
    if unusable is not None:
        raise UsageError(f"{flag} {path}: cannot write ({unusable})")
    problem = not_writable_as_file(path, streams)
    if problem is not None:
        raise UsageError(f"{flag} {path}: {problem}")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {path}: cannot overwrite ({no_write_reason(path)})")
    if not written_in_place(path):
        if path.exists() and is_mount_point(path):
            # a file is written aside and renamed over the old one, and a mount point cannot be
            raise UsageError(
                f"{flag} {path}: is a mount point (a file mounted on its own), which cannot be replaced; "
                "mount the directory holding it instead, or give another path"
            )
        target = file_location(path)
        if path.is_symlink() and not target.parent.is_dir():
            # missing directories are created on the way to the path the user typed, not at
            # wherever a link points (a broken link made /nonexistent/dir/ at the root)
            raise UsageError(
                f"{flag} {path}: a symbolic link to {os.readlink(path)}, whose directory does not exist; "
                "create it, or give another path"
            )
        _check_parent(path, flag, target)
        problem = _why_not_replaced(target)
        if problem is not None:
            raise UsageError(f"{flag} {path}: {problem}")


def check_dir_target(path: Path, flag: str, into: bool = False) -> None:
    """`path` can be created or replaced as a directory; with `into`, a `path` that exists is
    written into, not replaced, so it is `path` itself that must take new entries (the
    directory above it may well be read-only)."""
    if str(path) == "-":  # `--json -` is refused as standard output; here it made a directory named -
        raise UsageError(f"{flag} -: standard output is not a directory; give a directory path (./- for one named -)")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: exists and is not a directory")
    if into and path.is_symlink() and not path.exists():
        # written into, it must be made first, and nothing can be made through a broken link:
        # said now, not after every contact was processed and failed on it
        raise UsageError(f"{flag} {path}: {standing(path)}")
    if not into and path.is_symlink() and not path.exists() and not file_location(path).parent.is_dir():
        # a report replaced whole is made where the link points: through a link into a directory
        # that does not exist (or into a file) it failed after every plan, not before the first
        raise UsageError(
            f"{flag} {path}: a symbolic link to {os.readlink(path)}, whose directory does not exist; "
            "create it, or give another path"
        )
    if not into and path.exists() and is_mount_point(path):
        # a directory replaced whole is renamed into place, and a mount point cannot be (EBUSY)
        raise UsageError(
            f"{flag} {path}: is a mount point, which cannot be replaced whole; give a directory inside it "
            f"({path / 'report'})"
        )
    _check_parent(path, flag, path / PROBE_PREFIX if into else None)
    problem = None if into else _why_not_replaced(path, moved_dir=True)
    if problem is not None:
        raise UsageError(f"{flag} {path}: {problem}")


@contextlib.contextmanager
def writing(path: Path, flag: str) -> Iterator[None]:
    """Create `path`'s missing parent directories for the block that writes `path`; if the
    block fails with an OSError, remove the directories created here and raise UsageError
    (one line, exit 2). The block itself leaves no temporary file behind."""
    missing = [p for p in path.parents if not p.exists()]  # deepest first
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise UsageError(f"{flag} {path}: cannot write ({reason(exc)})") from None


@contextlib.contextmanager
def writing_dir(path: Path, flag: str) -> Iterator[None]:
    """For a block that writes into the directory `path`, creating it on the way: if the block
    fails, the directories it created and left empty are removed, and a failed write under
    `path` (an OSError naming a file there, or none) becomes UsageError (one line, exit 2).
    What the block committed before it failed (one contact of several) stays."""
    missing = [p for p in (path, *path.parents) if not p.exists()]  # deepest first
    try:
        yield
    except BaseException as exc:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()  # only an empty one
        if isinstance(exc, OSError) and _names_a_path_under(exc, path):
            raise UsageError(f"{flag} {path}: cannot write ({reason(exc)})") from None
        raise


def _names_a_path_under(exc: OSError, root: Path) -> bool:
    return exc.filename is None or lies_under(Path(os.fsdecode(exc.filename)), root)


def lies_under(path: Path | str, root: Path | str) -> bool:
    """`path` is `root` or lies under it, however either is spelt: as written (`..` folded),
    with every link resolved, or by the identity of `root`'s directory among `path`'s
    ancestors (a bind mount, a case-insensitive file system). Whichever way, replacing or
    writing `root` reaches `path`. A `root` not there yet holds nothing but what is written
    under its own name."""
    # os.path.realpath, not Path.resolve: a link loop is a path like any other here (resolve
    # raises RuntimeError on one), and the reader of that path says what is wrong with it.
    resolved = Path(os.path.realpath(path))
    # the link itself where it lives (its directory resolved, not the link) is what replacing it takes
    where_it_lives = Path(os.path.realpath(os.path.dirname(os.path.abspath(path)))) / os.path.basename(path)
    spellings = (Path(os.path.abspath(path)), resolved, where_it_lives)
    for candidate, place in itertools.product(spellings, (Path(os.path.abspath(root)), Path(os.path.realpath(root)))):
        if candidate == place or place in candidate.parents:
            return True
    try:
        identity = os.stat(root)
    except OSError:
        return False
    return any(_is_directory(ancestor, identity) for ancestor in (resolved, *resolved.parents))


def _is_directory(path: Path, identity: os.stat_result) -> bool:
    try:
        return os.path.samestat(os.stat(path), identity)
    except OSError:  # a part of the path still to be created
        return False
