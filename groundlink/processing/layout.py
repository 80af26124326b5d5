"""Where products go: the catalog tables' Hive partitions, written all or nothing.

Every product of a contact is first written under a hidden staging directory in
the products root and moved into place only once all of them are complete, so
a bad file or a crash never leaves a half-written product where the catalog
looks (the catalog's globs skip names starting with a dot).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .errors import warn
from .tables import CONTACT_SUMMARY, FRAME_INDEX, PARTITION_KEYS

_flock: Callable[[int, int], None] | None
try:
    from fcntl import LOCK_EX, LOCK_NB, LOCK_SH
    from fcntl import flock as _flock
except ImportError:  # not POSIX: no run is known to be going, as before
    _flock = None

FRAMES_PREFIX = "frames/"
# The years the AWS catalog's partition projection enumerates (components/aws/analytics.py):
# no contact data predates AWS Ground Station's general availability (2019). Athena sees no
# partition outside them, so a contact dated there is written but invisible to it.
CATALOG_YEARS = (2019, 2100)
_HIVE = re.compile(r"^(year|month|day|satellite)=(.+)$")


# The summary's Parquet metadata key holding where its contact was delivered (Contact.source).
SOURCE_METADATA = "groundlink.source"
# Two runs of one pass hold frames of that pass: an earlier run's are some of the later run's.
# Products of one name whose frames lie further apart are another pass's, when nothing else tells.
SAME_CONTACT_SLACK = timedelta(hours=1)

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Delivery:
    """What tells a contact's earlier products from another contact's of the same name: where
    it was delivered (`source`, None when its id is its files' own, a Ground Station contact's
    UUID, or for products that predate the key), whether that names one delivery (a partner's
    contact prefix, whose folders hold its day) or a place filled again and again (a directory
    given `--contact-id` on a laptop), and when its frames were captured (`span`, None when
    none was dated)."""

    source: str | None
    span: Span | None
    source_is_delivery: bool = False


def another_contact(earlier: Delivery, new: Delivery) -> str | None:
    """Why products under a contact's id are another contact's, or None when they are an
    earlier run's: never for an id of its own; delivered elsewhere; delivered to the same
    partner prefix, never (its folders hold its day: the same delivery, whatever its frames'
    dates); and otherwise (one directory filled again and again, or products that predate the
    key) when their frames lie more than SAME_CONTACT_SLACK apart, or this run dated none of
    its frames, which tells nothing (an undated earlier run, which holds no frame, is replaced).
    Kept wrongly, a contact is counted twice, which a query shows; deleted wrongly, another
    contact's products are gone."""
    if new.source is None:
        return None
    if earlier.source is not None:
        if earlier.source != new.source:
            return f"delivered under {earlier.source}"
        if new.source_is_delivery:
            return None
    if earlier.span is None:
        # an undated earlier run (a capture without packets that a redelivery filled, a wrong
        # port, a file that is no summary): the same contact, and nothing of it is lost
        return None
    if new.span is None:
        # this run dated none of its frames (another port): it tells nothing, and the earlier
        # run's frames are not to be lost to it
        return "this run dated none of its frames, so it cannot be told from them"
    if earlier.span[0] > new.span[1] + SAME_CONTACT_SLACK or earlier.span[1] < new.span[0] - SAME_CONTACT_SLACK:
        return f"its frames from {earlier.span[0]:%Y-%m-%d %H:%M}, apart from these"
    return None


def summary_delivery(path: Path) -> Delivery:
    """The Delivery a summary file records (nothing known of a file that is no summary: replaced)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # the first processor's summaries (2026-12-01) named them start and end: read as undated,
        # another pass's products of the same name were deleted as this one's
        names = ("start_time", "end_time") if "start_time" in pq.read_schema(path).names else ("start", "end")
        table = pq.read_table(path, columns=list(names))
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return Delivery(None, None)
    source = (table.schema.metadata or {}).get(SOURCE_METADATA.encode())
    rows = table.to_pylist()
    start, end = (rows[0].get(names[0]), rows[0].get(names[1])) if rows else (None, None)
    span = (start, end) if isinstance(start, datetime) and isinstance(end, datetime) else None
    return Delivery(source.decode("utf-8", "surrogateescape") if source is not None else None, span)


def processed_span(summary: Mapping[str, object]) -> Span | None:
    """(start_time, end_time) of a summary `process_contact` returned (microseconds since the
    epoch), as `summary_delivery` reads them from its file; None when undated."""
    start, end = summary.get("start_time"), summary.get("end_time")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    epoch = datetime(1970, 1, 1)
    return epoch + timedelta(microseconds=start), epoch + timedelta(microseconds=end)


def another_contact_line(contact_id: str, where: str, why: str) -> str:
    """The line said when another contact's products under the same id are kept (`another_contact`'s why)."""
    return (
        f"groundlink: contact {contact_id}: the products under {where} are another contact's of the same name "
        f"({why}), so they are kept; a contact's name is its id in every product and query, so give each "
        "contact a name of its own"
    )


def _partition_of(path: Path, root: Path) -> str:
    """`year=/month=/day=/satellite=` of a product under `root` (its table's folder first)."""
    return "/".join(path.relative_to(root).parts[1:5])


@dataclass(frozen=True)
class Partition:
    year: str
    month: str
    day: str
    satellite: str

    @classmethod
    def at(cls, time_us: int, satellite: str) -> Partition:
        when = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=time_us)  # exact, no float
        return cls(f"{when.year:04d}", f"{when.month:02d}", f"{when.day:02d}", satellite)

    @classmethod
    def of_path(cls, values: dict[str, str], satellite: str) -> Partition:
        """The partition a raw path's `year=/month=/day=` name; KeyError without one of them,
        ValueError when they name no day of the calendar (month=13, day=30 of February, year=0000)."""
        day = date(int(values["year"]), int(values["month"]), int(values["day"]))
        return cls(f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}", satellite)

    @property
    def cataloged(self) -> bool:
        """Within the years the AWS catalog projects (Athena sees it)."""
        first, last = CATALOG_YEARS
        return first <= int(self.year) <= last

    @property
    def path(self) -> str:
        values = (self.year, self.month, self.day, self.satellite)
        return "/".join(f"{k}={v}" for k, v in zip(PARTITION_KEYS, values, strict=True))


def hive_values(path: Path) -> dict[str, str]:
    """The `key=value` partition components of a delivered file's path (the raw prefix's keys)."""
    values: dict[str, str] = {}
    for part in path.parts:
        match = _HIVE.fullmatch(part)
        if match:
            values[match.group(1)] = match.group(2)
    return values


# What flock says on a file system that takes no lock on a directory (NFS: EBADF; no lock
# manager: ENOLCK; others: EINVAL, EOPNOTSUPP).
UNLOCKABLE = frozenset({errno.EBADF, errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP})


@contextlib.contextmanager
def products_locked(root: Path, exclusive: bool) -> Iterator[None]:
    """`root`, a products directory, locked for the block: exclusive for a commit (see
    `Staging.products_lock`), shared for a query (`groundlink query`), which lists the products'
    files and reads them later; a commit between the two set files aside or renamed them, and
    the query counted one run's index beside another's summaries (exit 0) or failed on a file
    gone. Where the file system takes no lock on a directory (NFS emulates flock with
    byte-range locks, which need a descriptor open for writing, and a directory is never one)
    or the directory cannot be opened, the block runs unlocked, as where there is no flock at
    all, rather than refusing every run."""
    if _flock is None:
        yield
        return
    try:
        handle = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # its reader says why, in its own words
        yield
        return
    try:
        try:
            _flock(handle, LOCK_EX if exclusive else LOCK_SH)
        except OSError as error:
            if error.errno not in UNLOCKABLE:
                raise
        yield
    finally:
        os.close(handle)  # closing the descriptor lets the lock go


STAGING_PREFIX = ".staging-"
# What a commit sets aside in its staging directory: a contact's earlier products.
SET_ASIDE = ("previous-*", "elsewhere-*")
# In a staging directory, where each earlier product a commit sets aside came from, written
# before the first move: a run killed mid-commit leaves the products it set aside named there,
# so that they can be put back (`set_aside_from`).
SET_ASIDE_RECORD = "set-aside.json"


def set_aside_from(staging_dir: Path) -> dict[str, str]:
    """The earlier products still set aside in `staging_dir`: each one's name there and the path
    under the products root it came from, as its commit recorded it ({} without a record)."""
    try:
        record = json.loads((staging_dir / SET_ASIDE_RECORD).read_text())
    except (OSError, ValueError):
        return {}
    return {aside: origin for aside, origin in record.items() if os.path.lexists(staging_dir / aside)}


def staged_contact(staging_dir: Path) -> str:
    """The contact id a staging directory's name holds (`.staging-<contact>-<10 hex digits>`)."""
    return staging_dir.name.removeprefix(STAGING_PREFIX).rsplit("-", 1)[0]


# A file in each staging directory that its run holds locked (flock) while it runs: the lock goes
# with the run however it ends (SIGKILL, a power cut), so a directory whose lock can be taken
# belongs to no running run.
RUN_LOCK = ".run.lock"


def _running(staging_dir: Path) -> bool:
    """Whether a run still going holds `staging_dir` (its lock is taken)."""
    if _flock is None:
        return False
    try:
        handle = os.open(staging_dir / RUN_LOCK, os.O_RDONLY)
    except OSError:  # no lock file: a run killed before it made one
        return False
    try:
        _flock(handle, LOCK_SH | LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)
    return False


def _holds_anything(staging_dir: Path) -> bool:
    """Whether `staging_dir` is still there and holds anything but its lock file."""
    try:
        return any(entry.name != RUN_LOCK for entry in staging_dir.iterdir())
    except OSError:
        return False


def leftover_staging(root: Path) -> tuple[list[Path], list[Path]]:
    """The staging directories under `root` that no run removed (a run killed outright, SIGKILL
    or a power cut), split by whether they hold earlier products a commit had set aside (which
    only the user may delete) or only a stopped run's partial products. A run still going is
    left out: the earlier products its commit holds for a moment are no leftover, and told to
    delete them, a user would have lost them."""
    found = sorted(path for path in root.glob(f"{STAGING_PREFIX}*") if path.is_dir()) if root.is_dir() else []
    # judged after its lock: a run that ends empties its directory before it lets the lock go
    # (Staging.discard), so one found gone or empty then was a run ending, not a leftover
    found = [path for path in found if not _running(path) and _holds_anything(path)]
    holding = [path for path in found if any(next(path.glob(pattern), None) for pattern in SET_ASIDE)]
    return holding, [path for path in found if path not in holding]


class Staging:
    """A contact's products, staged under `root` and committed together."""

    def __init__(self, root: Path, contact_id: str, source: str | None = None):
        """Names the staging directory; `create` makes it. A signal can stop the run at any
        point, so the directory is known before it exists: made in one step with its name
        already recorded, `discard` removes it whenever the run stops after that step.
        `source`: where the contact was delivered (Contact.source)."""
        self.root = root
        self.contact_id = contact_id
        self.source = source
        self.dir = self._fresh_dir()
        self.keep = False  # set when a failed commit could not put an earlier product back
        self.committed = False  # every product moved in: what is set aside is superseded
        self._lock: int | None = None  # RUN_LOCK, held while the run goes on

    def _fresh_dir(self) -> Path:
        return self.root / f"{STAGING_PREFIX}{self.contact_id}-{os.urandom(5).hex()}"

    def create(self) -> None:
        """Make `root` and the staging directory in it, private to this user as mkdtemp's are."""
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                self.dir.mkdir(mode=0o700)
                break
            except FileExistsError:  # another run's, by a 1 in 2**40 chance
                self.dir = self._fresh_dir()
        if _flock is not None:
            self._lock = os.open(self.dir / RUN_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
            _flock(self._lock, LOCK_EX)

    def frames_dir(self) -> Path:
        path = self.dir / "frames"
        path.mkdir(exist_ok=True)
        return path

    def index_file(self) -> Path:
        return self.dir / "frame_index.parquet"

    def summary_file(self) -> Path:
        return self.dir / "contact_summary.parquet"

    def targets(self, partition: Partition) -> dict[Path, Path]:
        name = f"{self.contact_id}.parquet"
        return {
            self.index_file(): self.root / FRAME_INDEX.prefix / partition.path / name,
            self.summary_file(): self.root / CONTACT_SUMMARY.prefix / partition.path / name,
        }

    def products_lock(self) -> contextlib.AbstractContextManager[None]:
        """The products root locked (flock on the directory itself, so nothing is left in it)
        for one commit at a time. A commit looks for the contact's products on other days, then
        moves its products in one rename at a time: two runs of one contact into one `--out`
        interleaved, and left one run's summary beside the other's index, or a contact's
        summary on two days, counted twice, both runs exiting 0. Taken before the commit's
        signals are held (`interrupt.finishing`), so Ctrl-C still stops a run waiting here."""
        return products_locked(self.root, exclusive=True)

    def commit(self, partition: Partition) -> None:
        """Move the frame streams, then the index, then the summary into place; a contact
        processed again replaces its earlier products, in this partition or another day's. Every earlier product is set
        aside in the staging directory before any new one moves in, and if any move fails every move
        made is undone: the contact's products are the earlier ones whole or the new ones whole.
        Should the undoing fail too, the staging directory, holding what it could not put back,
        is kept (`discard` leaves it) rather than deleted with the earlier products in it."""
        frames = self.root / FRAMES_PREFIX / partition.path / self.contact_id
        moves = [(self.frames_dir(), frames), *self.targets(partition).items()]
        # (staged, target, where the earlier one is set aside), each recorded before its moves:
        # a signal can stop the run between a move and any record made after it
        done: list[tuple[Path | None, Path, Path | None]] = []
        created: list[Path] = []  # the partition directories made here, removed again if the commit fails
        other_days = self._elsewhere({target for _, target in moves}, partition.satellite)
        for target in (*(target for _, target in moves), *other_days):
            self._refuse_foreign(target)
        asides = {f"elsewhere-{number}": elsewhere for number, elsewhere in enumerate(other_days)}
        asides |= {f"previous-{number}": target for number, (_, target) in enumerate(moves) if target.exists()}
        record = {name: origin.relative_to(self.root).as_posix() for name, origin in asides.items()}
        (self.dir / SET_ASIDE_RECORD).write_text(json.dumps(record, indent=1))
        # Every earlier product is set aside before any new one moves in, the summaries first,
        # and the new summary moves in last: the summary is what counts a contact, so a commit
        # killed between two moves (SIGKILL, a power cut) leaves no summary of the contact, never
        # an earlier summary beside a new index or an index the summary does not count.
        set_asides = sorted(
            [
                *((self.dir / name, origin) for name, origin in asides.items() if name.startswith("elsewhere-")),
                *(
                    (self.dir / f"previous-{n}", target)
                    for n, (_, target) in enumerate(moves)
                    if f"previous-{n}" in asides
                ),
            ],
            key=lambda pair: not self._is_summary(pair[1]),
        )
        try:
            for set_aside, earlier in set_asides:
                done.append((None, earlier, set_aside))
                os.replace(earlier, set_aside)
            for staged, target in moves:  # the summary last
                created.extend(p for p in (target.parent, *target.parent.parents) if not p.exists())
                target.parent.mkdir(parents=True, exist_ok=True)
                done.append((staged, target, None))
                os.replace(staged, target)
        except BaseException:
            self._undo(done)
            for directory in sorted(set(created), key=lambda path: len(path.parts), reverse=True):
                with contextlib.suppress(OSError):
                    directory.rmdir()  # only an empty one: what was put back stays
            raise
        self.committed = True
        self.discard()
        for new_product, earlier, _ in done:
            if new_product is None:  # an earlier product moved out (of another day's partition)
                self._remove_if_emptied(earlier.parent)

    def _is_summary(self, path: Path) -> bool:
        return path.relative_to(self.root).parts[0] == CONTACT_SUMMARY.prefix[:-1]

    def _refuse_foreign(self, target: Path) -> None:
        """A path where a product of the contact goes holds one only if it is of the product's
        kind: a directory where its Parquet file goes (a dataset of part files another tool
        wrote), or a file where its frame streams' directory goes, is not a product of it, and
        was set aside and deleted with the staging directory, without a word. Refused, naming
        it, before anything moves."""
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            return
        streams = target.relative_to(self.root).parts[0] == FRAMES_PREFIX.rstrip("/")
        if stat.S_ISDIR(mode) == streams:
            return
        stands = "a directory" if stat.S_ISDIR(mode) else "a file"
        goes = "directory of frame streams" if streams else "Parquet file"
        raise OSError(
            errno.EEXIST,
            f"{stands} stands where the contact's {goes} goes, not one of its products; move it away",
            str(target),
        )

    def _remove_if_emptied(self, directory: Path) -> None:
        """The partition directories an earlier product left empty, up to its table's own: an
        empty day stayed in the layout, a day that holds nothing in a listing of the products."""
        while directory.parent != self.root and self.root in directory.parents:
            try:
                directory.rmdir()  # only an empty one
            except OSError:
                return
            directory = directory.parent

    def _elsewhere(self, targets: set[Path], satellite: str) -> list[Path]:
        """This contact's earlier products in other day partitions of its satellite than
        `targets`' (its first packet dated another day once more files arrived): the contact
        processed again replaces them too, or a query would count its frames twice. Another
        satellite's products of the same contact id are never touched: the id names another
        delivery there (a --contact-id given to two), and replacing them would lose it."""
        pattern = "/".join(f"{key}=*" for key in PARTITION_KEYS[:-1]) + f"/satellite={glob.escape(satellite)}"
        found = [
            *(self.root / FRAMES_PREFIX).glob(f"{pattern}/{glob.escape(self.contact_id)}"),
            *(
                path
                for table in (FRAME_INDEX, CONTACT_SUMMARY)
                for path in (self.root / table.prefix).glob(f"{pattern}/{glob.escape(self.contact_id)}.parquet")
            ),
        ]
        # another contact under the same id: its day's products are kept
        kept: set[str] = set()
        earlier = [p for p in found if p not in targets and self._is_summary(p)]
        # an id of its own (no source) is never another's: nothing to read then
        new = Delivery(self.source, summary_delivery(self.summary_file()).span) if earlier and self.source else None
        for summary in sorted(earlier):
            why = another_contact(summary_delivery(summary), new) if new is not None else None
            if why is not None:
                kept.add(_partition_of(summary, self.root))
                warn(another_contact_line(self.contact_id, _partition_of(summary, self.root), why))
        return sorted(path for path in found if path not in targets and _partition_of(path, self.root) not in kept)

    def _undo(self, done: list[tuple[Path | None, Path, Path | None]]) -> None:
        """Each recorded move that was made, taken back: what the files are says which were made
        (a staged product gone from staging is in place; an earlier one is in staging)."""
        for staged, target, aside in reversed(done):
            try:
                if staged is not None and not os.path.lexists(staged) and os.path.lexists(target):
                    os.replace(target, staged)
                if aside is not None and os.path.lexists(aside):
                    os.replace(aside, target)
            except OSError:
                self.keep = True  # the earlier product is still in the staging directory

    def discard(self) -> None:
        """Remove the staging directory, unless it holds earlier products a commit set aside and
        did not put back (an undo stopped part-way, by an error or a signal): those are kept,
        and the next run names the directory (`leftover_staging`), for only the user to delete."""
        if not self.keep and not self.committed and any(next(self.dir.glob(pattern), None) for pattern in SET_ASIDE):
            self.keep = True
        if not self.keep:
            # emptied while the lock is held, the lock file last: another run's look for
            # leftovers finds it locked (running), or without its lock and empty (going), never
            # unlocked with partial products in it, which it named as a stopped run's
            with contextlib.suppress(OSError):
                # the record of what was set aside after what it names: a run killed here leaves
                # it beside the products it lists, which the next run can then call superseded
                for entry in sorted(self.dir.iterdir(), key=lambda e: e.name == SET_ASIDE_RECORD):
                    if entry.name != RUN_LOCK:
                        if entry.is_dir() and not entry.is_symlink():
                            shutil.rmtree(entry, ignore_errors=True)
                        else:
                            entry.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                (self.dir / RUN_LOCK).unlink(missing_ok=True)
            shutil.rmtree(self.dir, ignore_errors=True)
        if self._lock is not None:  # the run is done with it: a directory kept is a leftover now
            os.close(self._lock)
            self._lock = None
