"""One contact's capture files in, its products out: frame streams, frame index, summary."""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import lzma
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from .. import interrupt
from . import rowwrite
from .capture import LINKS_READ, Chunk, FileStats, StreamState, read_capture
from .classify import CORRUPT, OK, STATUS_NAMES, Judge, decode_headers, final_missing, sequence_keys
from .config import CAPTURE_SUFFIXES, CaptureFormat, name_problem
from .errors import CaptureError, ProcessingError, file_kind, warn
from .frames import I64, derandomize, synchronise
from .layout import CATALOG_YEARS, SOURCE_METADATA, Partition, Staging, hive_values
from .records import PCAP_MAGICS
from .tables import CONTACT_SUMMARY, FRAME_INDEX, PRODUCTS_FORMAT, PRODUCTS_FORMAT_METADATA

CHUNK_BYTES = 64 << 20
# Streams are written 1 MiB at a time: measured on the build machine, one 32 MiB write()
# cost the kernel about eight times the CPU of the same bytes in 1 MiB writes.
WRITE_BYTES = 1 << 20
# At most this many frame streams are open at once. A contact names up to 64 virtual channels per
# spacecraft id and, with `spacecraft_ids` unset, any of 1,024 ids; Lambda gives a process 1,024
# file descriptors ("Lambda quotas"), so one open file per channel fails a contact of ~1,000
# channels with "Too many open files" on every retry. Past the cap the least recently written
# stream is closed and reopened for appending when its channel comes again.
MAX_OPEN_STREAMS = 256
INDEX_DICTIONARY = [c.name for c in FRAME_INDEX.columns if c.kind == "string"]
# The frame index's repetitive string columns (one contact id, a few file names, three statuses)
# are handed to the Parquet writer as Arrow dictionaries, so that it stores their indices as
# they are instead of hashing every row's string again (a fifth of the index's time,
# 2026-12-03). The file holds plain UTF-8 strings all the same: without the Arrow schema stored
# in it, every reader, Arrow included, reads these columns back as strings. Not the `reason`,
# mostly null: a dictionary column with nulls split over row groups got row-group statistics
# from dictionary values the group does not hold.
INDEX_AS_DICTIONARIES = ("contact_id", "capture_file", "status")
INDEX_WRITE_SCHEMA = pa.schema(
    [
        pa.field(f.name, pa.dictionary(pa.int32(), f.type), f.nullable) if f.name in INDEX_AS_DICTIONARIES else f
        for f in FRAME_INDEX.schema
    ]
)
Progress = Callable[[int], None]
# Each Parquet product's record of the products format it was written in (tables.py).
FORMAT_METADATA = {PRODUCTS_FORMAT_METADATA: str(PRODUCTS_FORMAT)}


@dataclass
class Contact:
    """The files of one contact, found in a delivery directory."""

    contact_id: str
    satellite: str
    files: list[Path]
    # one line per file of the contact that cannot be read at all (a broken symbolic link)
    problems: list[str] = field(default_factory=list)
    # where the contact was delivered, when its id does not come from its files' names (a
    # partner's contact prefix, a --contact-id's directory): kept in its summary, it tells this
    # contact's earlier products from another contact's of the same name (Staging.commit)
    source: str | None = None


def _no_progress(_: int) -> None:
    return None


def _runs(text: str) -> tuple[str | int, ...]:
    """`text` as its runs of digits (numbers) between runs of other characters."""
    return tuple(int(t) if i % 2 else t for i, t in enumerate(re.split(r"(\d+)", text)))


def _in_sequence(path: Path) -> tuple[tuple[str | int, ...], list[tuple[str | int, ...]], str]:
    """A contact's files in the order of the numbers in their names: `_2` before `_10`, as the
    parts of a delivery are numbered whether or not the numbers are padded to one width. The
    file's own name comes first: the directories it is in (`z/..._1`, `a/..._2`) never
    reorder a contact's parts. Without regard to case, as contact ids are matched: a part named
    with the id in capitals (`..._ABCDEF01-..._0002`) was read before `..._abcdef01-..._0001`."""
    return _runs(path.name.casefold()), [_runs(part.casefold()) for part in path.parts], str(path)


def _satellite_above(directory: Path) -> str | None:
    """The `satellite=` partition of the nearest folder at or above where `directory` really is
    (links and `..` resolved as the system resolves them): Ground Station records a downlink in
    its config's folder under `satellite=<id>/`, the folder one points at to process that
    downlink's captures. Never from the path as spelled above the directory, which a link or
    `..` makes name a folder the captures are not in."""
    above = (hive_values(Path(part)).get("satellite") for part in reversed(directory.resolve().parts))
    return next((value for value in above if value is not None), None)


def _satellite_in(path: Path, directory: Path, above: str | None) -> str | None:
    """The `satellite=` partition of a capture under `directory`: in its path from the directory
    (the directory's own name counted), else `above`, the directory's own (`_satellite_above`)."""
    found = hive_values(path.relative_to(directory.parent)).get("satellite")
    return found if found is not None else above


def discover(
    directory: Path, fmt: CaptureFormat, *, satellite: str | None = None, contact_id: str | None = None
) -> list[Contact]:
    """Group a directory's capture files by contact (from their names, or `contact_id` for all).

    The satellite is `satellite`, else the `satellite=` partition of the files' path (the
    raw prefix Ground Station and the partner landing zone write)."""
    if not directory.is_dir():
        raise ProcessingError([f"{directory}: not a directory"])
    pattern = re.compile(fmt.contact_id_pattern)

    def contact_of(name: str) -> str | None:
        """The contact a file name gives its file to: `contact_id`, else the id in the name, in
        lower case (an id written in capitals is the same contact)."""
        if contact_id is not None:
            return contact_id
        match = pattern.search(name)
        return match.group("contact_id").lower() if match else None

    files, unreadable, walk_errors, misnamed = _capture_files(directory, contact_of)
    if walk_errors:
        raise ProcessingError(walk_errors)
    skipped = "; ".join(
        line
        for line in (
            _misnamed(directory, [p for p, kind in misnamed.items() if kind is None]),
            _compressed(directory, {p: kind for p, kind in misnamed.items() if kind is not None}),
        )
        if line
    )
    if not files and not unreadable:
        named = f"; {skipped}" if skipped else ""
        raise ProcessingError([f"{directory}: no capture files (*.pcap, *.pcapng){named}"])
    if skipped:
        warn(f"groundlink: {directory}: {skipped}")
    given = [
        (flag, value) for flag, value in (("--satellite", satellite), ("--contact-id", contact_id)) if value is not None
    ]
    flag_errors = [f"{flag}: {problem}" for flag, value in given if (problem := name_problem(value))]
    if flag_errors:
        raise ProcessingError(flag_errors)
    # the directory resolved once, not once per file
    above = _satellite_above(directory) if satellite is None else None
    # --contact-id makes every file one contact: the fix only where no file names its contact
    some_named = contact_id is None and any(pattern.search(path.name) for path in [*files, *unreadable])
    no_id_fix = (
        "rename it with its contact's id, or move it out (--contact-id would make every file one contact)"
        if some_named
        else "pass --contact-id"
    )
    # and --satellite sets every file's satellite: the fix only where no file's path names its own
    some_placed = satellite is None and any(
        _satellite_in(path, directory, above) is not None for path in [*files, *unreadable]
    )
    no_satellite_fix = (
        "move it under its satellite's satellite=<name>/ folder (--satellite would set every file's)"
        if some_placed
        else "pass --satellite"
    )
    groups: dict[tuple[str, str], list[Path]] = {}
    problems: dict[tuple[str, str], list[str]] = {}
    empties: dict[tuple[str, str], list[Path]] = {}
    errors: list[str] = []
    # files a fix of the whole delivery answers: one line each kind (a layout without satellite=
    # folders, as the AWS S3 delivery sample's, was one line per file, twenty for a contact)
    no_id: list[Path] = []
    no_satellite: list[Path] = []
    for path in sorted([*files, *unreadable], key=_in_sequence):
        cid = contact_of(path.name)
        sat = satellite if satellite is not None else _satellite_in(path, directory, above)
        if cid is None:
            no_id.append(path)
        elif sat is None:
            no_satellite.append(path)
        elif problem := name_problem(cid):
            errors.append(f"{path}: contact id {problem}; {no_id_fix}")
        elif problem := name_problem(sat):
            errors.append(f"{path}: satellite {problem}; pass --satellite")
        elif path in unreadable:
            groups.setdefault((cid, sat), [])
            problems.setdefault((cid, sat), []).append(f"{path}: cannot read ({unreadable[path]})")
        elif _empty(path):
            # no bytes, no packets: left out, as the cloud runtime leaves it out (Ground Station's
            # delivery starts each contact with an empty guiding .pcap)
            groups.setdefault((cid, sat), [])
            empties.setdefault((cid, sat), []).append(path)
        else:
            groups.setdefault((cid, sat), []).append(path)
    for (cid, sat), paths in groups.items():  # a contact of empty files only: its data is missing
        if not paths and (cid, sat) in empties and (cid, sat) not in problems:
            found = empties[(cid, sat)]
            problems[(cid, sat)] = [
                f"{found[0]}: contact {cid} has no packet: its {len(found)} capture file"
                f"{'s are' if len(found) > 1 else ' is'} empty (0 bytes)"
            ]
    # one line for all where one flag fixes them all; where each file is to be renamed or moved,
    # a line each, naming it
    unplaced = _lines(
        no_id, f"no contact id in the file name (pattern {fmt.contact_id_pattern}); {no_id_fix}", not some_named
    )
    unplaced += _lines(no_satellite, f"no satellite= in the path; {no_satellite_fix}", not some_placed)
    errors[:0] = unplaced
    satellites: dict[str, list[str]] = {}
    for cid, sat in sorted(groups):
        satellites.setdefault(cid, []).append(sat)
    for cid, sats in satellites.items():  # one id, two deliveries: their products would share names
        if len(sats) > 1:
            errors.append(
                f"{directory}: contact id {cid} is delivered for satellites {', '.join(sats)}; "
                "process each satellite's files with its own --contact-id"
            )
    if errors:
        raise ProcessingError(errors)
    source = str(directory.resolve()) if contact_id is not None else None
    return [
        Contact(cid, sat, paths, problems.get((cid, sat), []), source) for (cid, sat), paths in sorted(groups.items())
    ]


def _lines(paths: list[Path], problem: str, by_flag: bool) -> list[str]:
    """The lines of one problem of `paths`: one, naming the first and how many others, where the fix
    is a flag (`pass --satellite`) that answers every file at once (`by_flag`); else a line a file."""
    if not paths:
        return []
    if by_flag and len(paths) > 1:
        others = len(paths) - 1
        return [f"{paths[0]} (and {others} other file{'s' if others > 1 else ''}): {problem}"]
    return [f"{path}: {problem}" for path in paths]


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:  # gone since it was found: its contact's run names it
        return False


# The first four bytes of a capture: libpcap as the mapped reader takes it (either byte order,
# micro- or nanoseconds), the modified-pcap variants dpkt reads, and a pcapng Section Header
# Block (its type reads the same in both byte orders).
CAPTURE_MAGICS = frozenset(PCAP_MAGICS) | {bytes.fromhex(m) for m in ("34cdb2a1", "a1b2cd34", "0a0d0d0a")}


def _is_capture(path: Path) -> bool:
    """A regular file whose first bytes are a capture's, whatever its name."""
    try:
        with path.open("rb") as stream:
            return stream.read(4) in CAPTURE_MAGICS
    except OSError:
        return False


# Compressors a capture is archived with, whose first bytes the standard library reads through:
# (magic, name, opener, the command that decompresses it).
# Each opener reads bytes ("rb") by default.
_COMPRESSORS: tuple[tuple[bytes, str, Callable[..., Any] | None, str], ...] = (
    (b"\x1f\x8b", "gzip", gzip.open, "gunzip"),
    (b"\xfd7zXZ\x00", "xz", lzma.open, "unxz"),
    (b"BZh", "bzip2", bz2.open, "bunzip2"),
    # no reader in the standard library: a capture by its name alone (`*.pcap.zst`, as `tcpdump
    # -z zstd` leaves it). Frame magics: Zstandard 0xFD2FB528 (RFC 8878 3.1.1), LZ4 0x184D2204
    # (the LZ4 Frame Format Description), both little-endian
    (b"\x28\xb5\x2f\xfd", "zstd", None, "unzstd"),
    (b"\x04\x22\x4d\x18", "lz4", None, "unlz4"),
)


def _compressor(path: Path) -> tuple[str, str] | None:
    """(compressor, its decompressing command) of a file that holds a capture compressed (read
    past its compression where the standard library reads it, else named `*.pcap*`), else None."""
    try:
        with path.open("rb") as stream:
            head = stream.read(6)
        for magic, name, opener, command in _COMPRESSORS:
            if not head.startswith(magic):
                continue
            if opener is None:
                return (name, command) if ".pcap" in path.name.lower() else None
            with opener(path) as inner:
                return (name, command) if inner.read(4) in CAPTURE_MAGICS else None
    except (OSError, EOFError, lzma.LZMAError, ValueError):  # damaged or cut short: not one we can say holds a capture
        return None
    return None


def _compressed(directory: Path, compressed: dict[Path, tuple[str, str]]) -> str | None:
    """Captures kept compressed (each with its compressor, `_compressor`), in words for one line:
    skipped, as the clouds' runtimes skip them (they take *.pcap and *.pcapng only), not without a
    word: half a contact was lost, exit 0."""
    if not compressed:
        return None
    shown = ", ".join(str(p.relative_to(directory)) for p in list(compressed)[:3])
    more = f" and {len(compressed) - 3} more" if len(compressed) > 3 else ""
    commands = sorted({command for _, command in compressed.values()})
    one = len(compressed) == 1
    return (
        f"{len(compressed)} capture file{'' if one else 's'} kept compressed, skipped: {shown}{more}; "
        f"decompress {'it' if one else 'them'} ({', '.join(commands)}) to process {'it' if one else 'them'}"
    )


def _misnamed(directory: Path, misnamed: list[Path]) -> str | None:
    """Captures whose names the processor (and the clouds' runtimes) do not take, in words for
    one line, not skipped without a word (`.cap`, `.dmp`, no suffix)."""
    if not misnamed:
        return None
    shown = ", ".join(str(p.relative_to(directory)) for p in misnamed[:3])
    more = f" and {len(misnamed) - 3} more" if len(misnamed) > 3 else ""
    return (
        f"{len(misnamed)} file{'s' if len(misnamed) > 1 else ''} holding a capture but not "
        f"named *.pcap or *.pcapng, skipped, as the clouds' runtimes skip such files: {shown}{more}; rename "
        f"{'them' if len(misnamed) > 1 else 'it'} to process {'them' if len(misnamed) > 1 else 'it'}"
    )


def _capture_files(
    directory: Path, contact_of: Callable[[str], str | None]
) -> tuple[list[Path], dict[Path, str], list[str], dict[Path, tuple[str, str] | None]]:
    """The capture files under `directory` (`*.pcap`, `*.pcapng`, any case), following symbolic
    links to directories, each directory taken once (a link back up the tree is no loop) and
    each file once for each contact its names give it to (`contact_of` a file name): a link
    within a contact would read its bytes twice, while a file linked under another contact's
    name, as `cp -al` or `rsync --link-dest` leave them, is that contact's too, and skipping it
    dropped that contact without a word; the capture names that cannot be read (a broken
    link) with why; the directories that cannot be listed; and the files that hold a capture
    under another name, or compressed (each with its compressor, `_compressor`, or None)."""
    files: list[Path] = []
    unreadable: dict[Path, str] = {}
    errors: list[str] = []
    misnamed: dict[Path, tuple[str, str] | None] = {}
    seen: set[tuple[int, int]] = set()
    read: set[tuple[int, int, str | None]] = set()

    def listing_failed(error: OSError) -> None:
        errors.append(f"{error.filename}: cannot read ({error.strerror or error})")

    for root, dirs, names in os.walk(directory, followlinks=True, onerror=listing_failed):
        here = os.stat(root)
        if (here.st_dev, here.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((here.st_dev, here.st_ino))
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.suffix.lower() not in CAPTURE_SUFFIXES:
                if path.is_file() and ((kind := _compressor(path)) is not None or _is_capture(path)):
                    misnamed[path] = kind  # its compressor read once, here
                continue
            try:
                status = path.stat()
            except OSError as error:
                # a link to nothing; a loop of links (ELOOP) is no broken link, though exists() is false too
                broken = error.errno == errno.ENOENT and path.is_symlink()
                why = f"broken symbolic link to {os.readlink(path)}" if broken else error.strerror or str(error)
                unreadable[path] = why
                continue
            if not stat.S_ISREG(status.st_mode):  # named like a capture, it is one the delivery lost
                unreadable[path] = f"not a regular file: {file_kind(status.st_mode)}"
            elif (status.st_dev, status.st_ino, contact := contact_of(name)) not in read:
                read.add((status.st_dev, status.st_ino, contact))
                files.append(path)
    return files, unreadable, errors, misnamed


@dataclass
class _Packets:
    """Where each packet's payload starts in the contact's stream, to date each frame."""

    starts: list[I64] = field(default_factory=list)
    packets: list[I64] = field(default_factory=list)
    times: list[I64] = field(default_factory=list)
    files: list[I64] = field(default_factory=list)

    def add(self, chunk: Chunk, base: int) -> None:
        self.starts.append(base + np.asarray(chunk.offsets, dtype=np.int64))
        self.packets.append(np.asarray(chunk.packets, dtype=np.int64))
        self.times.append(np.asarray(chunk.times, dtype=np.int64))
        self.files.append(np.full(len(chunk.offsets), chunk.file, dtype=np.int64))

    def lookup(self, offsets: I64) -> tuple[I64, I64, I64]:
        """(time, packet, file index) of the packet holding each stream offset. The offsets
        ascend, from one call to the next too (frames come in stream order).

        The packets before the one holding the last offset are let go: joined and searched again
        at every chunk, they made the lookup grow with the square of the contact's length. And
        each packet's first frame is searched for among the frames (fewer packets than frames)
        instead of each frame's packet among the packets. On 2026-12-03, within the processor:
        0.007 s instead of 0.014 s for a 1 GB contact; measured alone, 0.14 s instead of 0.93 s
        for 10 GB."""
        for name in ("starts", "packets", "times", "files"):
            parts = getattr(self, name)
            if len(parts) > 1:
                setattr(self, name, [np.concatenate(parts)])
        # the packets starting at or before each offset, less one: the index of its packet
        firsts = np.searchsorted(offsets, self.starts[0], side="left")
        at = np.cumsum(np.bincount(firsts, minlength=len(offsets) + 1)[: len(offsets)]) - 1
        found = self.times[0][at], self.packets[0][at], self.files[0][at]
        last = int(at[-1]) if len(at) else 0
        if last > 0:
            for name in ("starts", "packets", "times", "files"):
                setattr(self, name, [getattr(self, name)[0][last:]])
        return found


class _Streams:
    """One file per virtual channel, under the staging directory; at most MAX_OPEN_STREAMS of them
    open, the least recently written closed first."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.open: dict[tuple[int, int], BinaryIO] = {}  # in order of last use
        self.closed: set[tuple[int, int]] = set()  # channels written, then closed to make room
        self.scratch = np.zeros(WRITE_BYTES, dtype=np.uint8)

    def _stream(self, channel: tuple[int, int]) -> BinaryIO:
        stream = self.open.get(channel)
        if stream is None:
            return self._reopen(channel)
        del self.open[channel]  # the order of use: called once per batch of a channel's frames
        self.open[channel] = stream
        return stream

    def _reopen(self, channel: tuple[int, int]) -> BinaryIO:
        if len(self.open) >= MAX_OPEN_STREAMS:
            oldest = next(iter(self.open))
            self.open.pop(oldest).close()
            self.closed.add(oldest)
        spacecraft, vc = channel
        path = self.directory / f"sc{spacecraft}-vc{vc}.cadu"
        stream = path.open("ab") if channel in self.closed else path.open("wb")
        self.open[channel] = stream
        return stream

    def write(self, channel: tuple[int, int], rows: Any) -> None:
        stream = self._stream(channel)
        view = memoryview(rows).cast("B")
        for at in range(0, len(view), WRITE_BYTES):
            stream.write(view[at : at + WRITE_BYTES])

    def write_rows(self, channel: tuple[int, int], rows: Any, chosen: I64) -> None:
        """Append rows `chosen` of `rows`: handed to the kernel where they lie (rowwrite), or,
        where it cannot, gathered WRITE_BYTES at a time into one small buffer: each block is
        still in the CPU's cache when the kernel copies it into the file, where gathering all
        of a chunk's rows first went through memory twice more."""
        stream = self._stream(channel)
        if rowwrite.available():
            stream.flush()  # what an earlier `write` left in the stream's buffer goes first
            rowwrite.append_rows(stream.fileno(), rows, chosen, WRITE_BYTES)
            return
        width = rows.shape[1]
        block = max(1, len(self.scratch) // width)
        if block * width > len(self.scratch):
            self.scratch = np.zeros(block * width, dtype=np.uint8)
        for lo in range(0, len(chosen), block):
            part = chosen[lo : lo + block]
            flat = self.scratch[: len(part) * width]
            out = flat.reshape(len(part), width)
            steps = np.diff(part)
            if len(steps) and (steps == steps[0]).all():  # channels taking turns: a strided copy
                np.copyto(out, rows[part[0] :: steps[0]][: len(part)])
            else:  # mode="clip": with the default mode numpy buffers `out`, five times the copy
                np.take(rows, part, axis=0, out=out, mode="clip")
            stream.write(flat.data)

    def close(self) -> None:
        while self.open:
            self.open.popitem()[1].close()

    def abandon(self) -> None:
        """Close every stream after a failure, each one whatever its close raises (its buffer's
        last write fails again on a full disk): the staging directory is discarded next."""
        while self.open:
            with contextlib.suppress(Exception):
                self.open.popitem()[1].close()


class _ContactRun:
    """State of one contact while its files stream through."""

    def __init__(self, contact: Contact, fmt: CaptureFormat, staging: Staging):
        self.contact, self.fmt = contact, fmt
        self.judge = Judge(fmt)
        # each frame's signalling field, in stream order: the index keeps no column of it, and
        # judging the frames again at the end (`_rewrite_missing`) needs their sequences
        self.signalling: list[npt.NDArray[np.uint8]] = []
        self.packets = _Packets()
        self.streams = _Streams(staging.frames_dir())
        self.index_file = staging.index_file()
        self.index = _IndexRows(self.index_file)
        self.carry = np.zeros(0, dtype=np.uint8)
        self.carry_at = 0  # stream offset of carry[0]
        self.stream_size = 0
        self.frames = 0
        self.counts = [0] * len(STATUS_NAMES)  # frames per status
        # corrupt frames before the dataflow's first good data frame, and after its last so far:
        # no channel's count sequence spans them, so no gap counts them as missing, where a
        # corrupt frame between good ones is a gap of its channel; and those of the dataflows
        # before it (`edge_corrupt`)
        self.seen_data = False
        self.leading_corrupt = 0
        self.trailing_corrupt = 0
        self.edge_corrupt = 0
        self.skipped = 0
        self.names: list[str] = []
        # how far apart consecutive frames start: the CADU length, or how often it is not
        self.on_length = 0
        self.spacings: dict[int, int] = {}
        self.last_start: int | None = None  # stream offset of the last frame emitted
        # where a sync marker stands inside the first frames, when one does: CADUs of 1024 bytes
        # read as 2048 put every other marker there, and every step is then "on length"
        self.inside: dict[int, int] = {}
        self.looked_inside = 0

    def end_stream(self) -> None:
        """One dataflow's bytes end here: a frame cut at their end is truncated, not completed by
        the next dataflow's first bytes, and the step to the next frame is no frame spacing."""
        self.feed(None)
        self.last_start = None
        # the next dataflow (another downlink's) has its own ends: its garbled first frames
        # follow this one's garbled last ones, and no sequence spans either
        self.edge_corrupt += self.leading_corrupt + self.trailing_corrupt
        self.seen_data, self.leading_corrupt, self.trailing_corrupt = False, 0, 0

    def feed(self, chunk: Chunk | None) -> None:
        final = chunk is None
        if chunk is not None:
            self.packets.add(chunk, self.stream_size)
            self.stream_size += chunk.size
            data = chunk.after(self.carry)
        else:
            data = self.carry
        while True:
            found, keep = synchronise(data, self.fmt, final)
            self.skipped += found.skipped
            starts, lengths = found.arrays()
            if len(starts):
                off_grid = None  # nearly every chunk: no frame followed by bytes off the grid
                if found.off_grid:
                    off_grid = np.zeros(len(starts), dtype=np.int64)
                    off_grid[np.searchsorted(starts, list(found.off_grid))] = list(found.off_grid.values())
                self._emit(data, starts, lengths, off_grid)
            self.carry_at += keep
            if not found.more:
                break
            data = data[keep:]  # a batch of frames at a time: the rest of the same bytes next
        self.carry = data[keep:].copy()

    def _look_inside(self, data: Any, starts: I64, lengths: I64, marker: int) -> None:
        """Record where the sync marker first stands inside each of the contact's first
        LOOK_INSIDE frames (a random frame holds it with odds of about 1 in 4 million), when a
        frame of the same spacecraft follows it: a CADU shorter than the length read puts the
        next frame's header there, while a field of the frame's data that holds the marker's
        bytes at a fixed place (one unrandomised, a relayed CADU) is followed by anything and
        told the user to change a --cadu-length that was right."""
        sync = bytes(self.fmt.sync_marker)
        for start, length in zip(starts[: LOOK_INSIDE - self.looked_inside], lengths, strict=False):
            frame = bytes(data[start : start + length])
            at = frame.find(sync, marker)
            if at >= 0 and _same_spacecraft(frame[marker : marker + 2], frame[at + len(sync) : at + len(sync) + 2]):
                self.inside[at] = self.inside.get(at, 0) + 1
            self.looked_inside += 1

    def _emit(self, data: Any, starts: I64, lengths: I64, off_grid: I64 | None) -> None:
        fmt = self.fmt
        offsets = self.carry_at + starts
        # the steps between consecutive frames of the contact, across batches too: which frames
        # make a batch depends on where files and the reader's windows end
        steps = np.diff(offsets, prepend=self.last_start) if self.last_start is not None else np.diff(offsets)
        self.last_start = int(offsets[-1])
        other = steps[steps != fmt.cadu_length]
        self.on_length += len(steps) - len(other)
        if len(other):
            for spacing, times in zip(*np.unique(other, return_counts=True), strict=True):
                self.spacings[int(spacing)] = self.spacings.get(int(spacing), 0) + int(times)
        marker = len(fmt.sync_marker)
        self._look_inside(data, starts, lengths, marker)  # sees the markers as sent: either way, the same
        if fmt.pseudo_randomized:
            data = derandomize(data, starts, lengths, fmt)
        headers = decode_headers(data, starts, lengths, marker)
        status, reasons, missing = self.judge.judge(headers, lengths, off_grid)
        self.signalling.append(np.maximum(headers.signalling, 0).astype(np.uint8))
        self._write_streams(data, starts, lengths, status, headers.spacecraft * 64 + headers.channel)
        times, packets, files = self.packets.lookup(offsets)
        n = len(starts)
        # no validity bitmap when every header was read: the Parquet file is the same bytes, and
        # the index's arrays of a 1 GB contact took 0.0125 s instead of 0.016 s (2026-12-03)
        invalid = None if headers.valid.all() else ~headers.valid
        batch = pa.record_batch(
            [
                pa.DictionaryArray.from_arrays(np.zeros(n, np.int32), [self.contact.contact_id]),
                pa.array(self.frames + np.arange(n, dtype=np.int64)),
                pa.array(times, pa.timestamp("us")),
                _file_names(files, self.names),
                pa.array(packets),
                pa.array(offsets),
                pa.array(headers.spacecraft.astype(np.int32), mask=invalid),
                pa.array(headers.channel.astype(np.int32), mask=invalid),
                pa.array(headers.count, mask=invalid),
                pa.DictionaryArray.from_arrays(status.astype(np.int32), STATUS_NAMES),
                pa.array(reasons, pa.string()) if any(reasons) else pa.nulls(n, pa.string()),
                pa.array(missing),
            ],
            schema=INDEX_WRITE_SCHEMA,
        )
        self.index.write_batch(batch)
        self.frames += n
        for value, total in enumerate(np.bincount(status, minlength=len(STATUS_NAMES))):
            self.counts[value] += int(total)
        self._count_edge_corrupt(status)

    def _count_edge_corrupt(self, status: Any) -> None:
        data = status == OK  # a duplicate (a datagram repeated) ends no garbled stretch
        corrupt = status == CORRUPT
        if not data.any():
            if self.seen_data:
                self.trailing_corrupt += int(corrupt.sum())
            else:
                self.leading_corrupt += int(corrupt.sum())
            return
        first, last = int(np.argmax(data)), len(data) - 1 - int(np.argmax(data[::-1]))
        if not self.seen_data:
            self.leading_corrupt += int(corrupt[:first].sum())
            self.seen_data = True
        self.trailing_corrupt = int(corrupt[last + 1 :].sum())  # the ones before it are between data frames

    def _write_streams(self, data: Any, starts: I64, lengths: I64, status: Any, keys: I64) -> None:
        """Append the ok frames to their channel's stream. Frames that follow each other
        without a byte between them are a 2-D view of the buffer, so a run costs one
        row selection per channel instead of one write per frame."""
        length = self.fmt.cadu_length
        breaks = np.flatnonzero((np.diff(starts) != length) | (lengths[1:] != length)) + 1
        for lo, hi in zip(np.concatenate(([0], breaks)), np.concatenate((breaks, [len(starts)])), strict=True):
            if lengths[lo] != length:
                continue  # a truncated frame is never ok
            rows = data[starts[lo] : starts[lo] + (hi - lo) * length].reshape(hi - lo, length)
            ok = status[lo:hi] == OK
            run_keys = keys[lo:hi]
            for key in np.flatnonzero(np.bincount(run_keys[ok])):  # keys are small: a count, not a hash
                select = ok & (run_keys == key)
                channel = (int(key) // 64, int(key) % 64)
                if select.all():
                    self.streams.write(channel, rows)
                else:
                    self.streams.write_rows(channel, rows, np.flatnonzero(select))

    def close(self) -> None:
        self.streams.close()
        self.index.close()

    def abandon(self) -> None:
        """Close the products after a failure, writing nothing more: they are discarded."""
        self.streams.abandon()
        self.index.abandon()

    def finish(self) -> None:
        """Close the products; when a frame arrived late across a chunk boundary, put the final
        `missing_before` into the index rows written before it filled their gap."""
        self.close()
        if self.judge.stale:
            _rewrite_missing(
                self.index_file, np.concatenate(self.signalling) if self.signalling else np.zeros(0, np.uint8)
            )


def _file_names(files: I64, names: list[str]) -> pa.DictionaryArray:
    """The `capture_file` of a batch's frames (indices into the contact's `names`), as a
    dictionary of the names from the batch's first file to its last: the writer stores a
    column chunk's whole dictionary, and with every name of the contact in it, a contact of
    12,000 small files wrote 12,000 names into each of its row groups (an index of 387 MB for
    a capture of 200 MB, 2026-12-05). A batch's files follow each other in the stream."""
    if not len(files):
        return pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    first, last = int(files.min()), int(files.max())
    return pa.DictionaryArray.from_arrays((files - first).astype(np.int32), names[first : last + 1])


# A row group is at least this many frames: a contact's frames come in a batch for each read
# chunk, and a chunk holds one file's bytes, so each small file made a row group of its own,
# and the index's footer and its per-group column headers grew with the files (12,000 row
# groups and a 15.8 MB footer for a contact of 12,080 files of 16 KB, 2026-12-05). A large
# file's full read chunks hold more (64 MiB: over 50,000 CADUs of 1,264 bytes or less) and are
# written as they come.
INDEX_GROUP_ROWS = 16_384


class _IndexRows:
    """The frame index's writer, holding small batches until they make a row group."""

    def __init__(self, path: Path) -> None:
        self.writer = _index_writer(path)
        self.held: list[pa.RecordBatch] = []
        self.rows = 0

    def write_batch(self, batch: pa.RecordBatch) -> None:
        if not self.held and batch.num_rows >= INDEX_GROUP_ROWS:
            self.writer.write_batch(batch)
            return
        self.held.append(batch)
        self.rows += batch.num_rows
        if self.rows >= INDEX_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the batches held as one row group, each dictionary column with one dictionary
        (the writer would otherwise fall back to plain strings at the first that differs)."""
        if self.held:
            self.writer.write_table(pa.Table.from_batches(self.held).unify_dictionaries())
            self.held, self.rows = [], 0

    def close(self) -> None:
        self.flush()
        self.writer.close()

    def abandon(self) -> None:
        """Close the writer after a failure without writing what it holds: a close that flushed
        again failed again on a full disk (or, its file closed by the first failure, raised
        pyarrow's ArrowInvalid: a traceback), and the staging directory was left behind."""
        self.held, self.rows = [], 0
        with contextlib.suppress(Exception):
            self.writer.close()


def _index_writer(path: Path) -> pq.ParquetWriter:
    """The frame index's writer. Dictionary encoding only where it pays (the repetitive strings):
    on the integer columns, unique per frame, it was most of the index's cost and saved nothing."""
    writer = pq.ParquetWriter(path, INDEX_WRITE_SCHEMA, use_dictionary=INDEX_DICTIONARY, store_schema=False)
    writer.add_key_value_metadata(FORMAT_METADATA)  # no Arrow schema is stored, so not as its metadata
    return writer


def _rewrite_missing(path: Path, signalling: npt.NDArray[np.uint8]) -> None:
    """Judge the index's frames again all at once and rewrite its `missing_before`, one row
    group at a time: only the four columns judged are held whole, with each frame's
    `signalling` field (which sequence of its channel it counts in)."""
    # the status read as its dictionary's indices: as strings, one Python object a frame, it took
    # about 170 bytes a frame (800 MB of a 4.7 million frame contact, 2026-12-05)
    judged = pq.read_table(
        path, columns=["spacecraft_id", "virtual_channel", "frame_count", "status"], read_dictionary=["status"]
    )
    spacecraft, channel, count = (
        np.asarray(judged[name].fill_null(-1).to_numpy(), dtype=np.int64)
        for name in ("spacecraft_id", "virtual_channel", "frame_count")
    )
    unjudged = np.zeros(judged.num_rows, dtype=np.bool_)
    at = 0
    for chunk in judged["status"].chunks:  # a dictionary of its own in each row group
        names = chunk.dictionary.to_pylist()
        codes = [i for i, name in enumerate(names) if name in ("corrupt", "idle")]
        unjudged[at : at + len(chunk)] = np.isin(chunk.indices.to_numpy(zero_copy_only=False), codes)
        at += len(chunk)
    del judged
    keys, counts = sequence_keys(spacecraft, channel, count, signalling.astype(np.int64))
    del spacecraft, channel, count  # the judgement holds its own arrays: 8 bytes a frame each, let go
    missing = final_missing(keys, counts, unjudged)
    del keys, counts, unjudged
    column = FRAME_INDEX.schema.get_field_index("missing_before")
    rewritten = path.with_name(path.name + ".rewrite")
    at = 0
    with pq.ParquetFile(path, read_dictionary=INDEX_AS_DICTIONARIES) as source, _index_writer(rewritten) as out:
        for group in range(source.num_row_groups):
            rows = source.read_row_group(group)
            out.write_table(rows.set_column(column, "missing_before", pa.array(missing[at : at + rows.num_rows])))
            at += rows.num_rows
    os.replace(rewritten, path)


def dataflow(path: Path) -> tuple[str, ...]:
    """Which of its contact's streams a capture file is: its folders but the Hive partitions. One
    dataflow's folder (Ground Station records each downlink under its own config's name,
    `{config-name}` in the raw prefix; a partner may deliver a folder per downlink) is one stream,
    whatever day partition holds it: a contact that crosses midnight is one stream in two days."""
    return tuple(part for part in path.parent.parts if "=" not in part)


def capture_names(files: list[Path]) -> dict[Path, str]:
    """What the frame index calls each of a contact's files (`capture_file`): its name, unique
    among the contact's files as AWS Ground Station names them; where two share a name (a
    partner's folder per downlink, each holding its `..._0001.pcap`), each file's path below the
    folder all the contact's files share, so that a frame's row leads to one file."""
    if len({path.name for path in files}) == len(files):
        return {path: path.name for path in files}
    shared = Path(os.path.commonpath([path.parent for path in files]))
    return {path: path.relative_to(shared).as_posix() for path in files}


def _by_dataflow(files: list[Path]) -> list[Path]:
    """A contact's files, each dataflow's together in the order they came (in sequence). Read
    as one stream in sequence order, two downlinks' files interleaved: a frame cut at a file's
    end was joined to the other downlink's bytes and counted corrupt, a gap after it."""
    order = {flow: i for i, flow in enumerate(dict.fromkeys(dataflow(path) for path in files))}
    return sorted(files, key=lambda path: order[dataflow(path)])


def process_contact(
    contact: Contact,
    out: Path,
    fmt: CaptureFormat | None = None,
    progress: Progress = _no_progress,
    committed: Callable[[dict[str, Any]], None] = lambda summary: None,
) -> dict[str, Any]:
    """Process one contact into `out`; return its summary row. All or nothing: any bad file
    raises ProcessingError (one line per bad file) and leaves `out` as it was. `committed` is
    told the summary as the products are moved in, and a stop signal that comes meanwhile waits
    for both (`interrupt.finishing`): the run stops after them, knowing the contact written (it
    ended `stopped by SIGTERM` with the earlier products replaced and the contact unsaid)."""
    fmt = fmt or CaptureFormat()
    staging = Staging(out, contact.contact_id, contact.source)  # named, not made yet: made in the try below
    run: _ContactRun | None = None
    stats: list[FileStats] = []
    errors: list[str] = list(contact.problems)
    try:
        staging.create()
        run = _ContactRun(contact, fmt, staging)
        carried = StreamState.fresh(fmt)  # one capture cut in files: what a file leaves the next
        stream: tuple[str, ...] | None = None
        names = capture_names(contact.files)
        for index, path in enumerate(_by_dataflow(contact.files)):
            if stream is not None and dataflow(path) != stream:
                # another dataflow's captures (a downlink's own folder): its bytes never continue
                # the last one's frame or datagram
                if stats:
                    stats[-1].count_incomplete(carried.fragments)
                carried = StreamState.fresh(fmt)
                run.end_stream()
            stream = dataflow(path)
            # a name that is not UTF-8 (bytes the file system took as they came) is kept as its escapes
            run.names.append(names[path].encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
            try:
                file_stats = FileStats(path, path.stat().st_size)
            except OSError as error:  # gone since it was found
                errors.append(f"{path}: cannot read ({error.strerror or error})")
                continue
            stats.append(file_stats)
            done = 0
            try:
                for chunk in _naming(path, read_capture(path, fmt, file_stats, index, CHUNK_BYTES, carried)):
                    run.feed(chunk)
                    done += chunk.size
                    progress(chunk.size)
            except CaptureError as error:
                errors.append(str(error))
            progress(max(file_stats.bytes - done, 0))
        if stats:  # datagrams still missing a fragment when the last file ended: truncated packets
            stats[-1].count_incomplete(carried.fragments)
        run.feed(None)
        run.finish()
        if errors:
            raise ProcessingError(errors)
        summary = _summary(contact, run, stats)
        partition = _partition(contact, summary)
        metadata: dict[str, str | bytes] = dict(FORMAT_METADATA)
        if contact.source is not None:
            # a directory's name need not be UTF-8: its bytes, as the file system holds them
            metadata[SOURCE_METADATA] = contact.source.encode("utf-8", "surrogateescape")
        schema = CONTACT_SUMMARY.schema.with_metadata(metadata)
        pq.write_table(pa.Table.from_pylist([summary], schema=schema), staging.summary_file())
        with staging.products_lock(), interrupt.finishing():
            staging.commit(partition)
            committed(summary)
        # markers stand at odd distances in a capture that cut most packets short: the cut is
        # said instead, not a CADU length to check (the cloud's runtimes log it too)
        captured = _capture_warnings(contact, summary, Lost.of(stats), run)
        dated = _date_warning(contact, partition, by_clock=summary["start_time"] is not None)
        found = _frames_warning(contact, summary, run, sum(s.empty_records for s in stats))
        ports = _ports_warning(contact, run.fmt, stats)
        early = (_links_warning(contact, summary, stats), _repeats_warning(contact, summary))
        for warning in (*early, *captured, found, ports, _spacecraft_warning(contact, run), dated):
            if warning:
                warn(warning)
        return summary
    except BaseException:  # a bad file, or a signal at any point after the staging directory was named
        try:
            if run is not None:
                run.abandon()
        finally:
            staging.discard()
        raise


def _date_warning(contact: Contact, partition: Partition, by_clock: bool) -> str | None:
    """A contact dated outside the catalog's years (a capture clock never set reads 1970) is
    written, but Athena's partition projection never looks there: say so, not silently, and by
    what it was dated: its first datagram's capture time, else (no datagram) its raw path."""
    if partition.cataloged:
        return None
    first, last = CATALOG_YEARS
    by = "by its first datagram's capture time" if by_clock else "by its raw path (it has no datagram)"
    check = "check the capture clock" if by_clock else "check the path's year="
    return (
        f"groundlink: contact {contact.contact_id}: dated {partition.year}-{partition.month}-{partition.day} "
        f"{by}, outside the years the AWS catalog projects ({first}-{last}): Athena will not see it; {check}"
    )


def _naming(path: Path, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks of `path`; a read error that names no file (EIO from a read on the open
    capture) is given its name, so that an error without one is a failed write, and the
    command line tells a capture it cannot read from a products directory it cannot write."""
    iterator = iter(chunks)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except OSError as error:
            if error.filename is not None:
                raise
            raise OSError(error.errno, error.strerror or str(error), str(path)) from error
        yield chunk


# Frames found before a wrong CADU length is suspected: a few, so that a short contact still says so.
SPACINGS_NEEDED = 8
# Frames searched whole for a sync marker inside them (the rest of a contact is not: a search
# of every frame would cost as much as the whole processor).
LOOK_INSIDE = 64


def _same_spacecraft(header: bytes, inner: bytes) -> bool:
    """Whether two transfer frame headers' first 10 bits agree: the version and the spacecraft id
    (AOS: the 8 bits of its second field, its 2 high bits in the signalling field left out, which
    makes the check only the more lenient; TM: the high 8 of its 10), the virtual channel left out."""
    return len(header) == len(inner) == 2 and (int.from_bytes(header) ^ int.from_bytes(inner)) & 0xFFC0 == 0


@dataclass(frozen=True)
class Lost:
    """The records of a contact whose data was lost, by cause: cut short by the capture (a snap
    length under their size, a fragment's record too), or fragments of datagrams whose other
    fragments never came though every record of theirs was whole (`datagrams` of them)."""

    records: int  # every record whose data was lost
    cut: int
    missing: int
    datagrams: int
    intact: int  # the downlink's datagrams read whole (fragments put together included)

    @classmethod
    def of(cls, stats: list[FileStats]) -> Lost:
        return cls(
            sum(s.lost_records for s in stats),
            sum(s.cut_records for s in stats),
            sum(s.missing_fragment_records for s in stats),
            sum(s.incomplete_datagrams for s in stats),
            sum(s.datagrams - s.cut_datagrams for s in stats),
        )

    @property
    def of_cut_datagrams(self) -> int:
        """Whole fragments of the datagrams the capture cut: lost with them, cut themselves not."""
        return self.records - self.cut - self.missing

    def mostly(self, packets: int) -> bool:
        """Whether at least half the records lost their data, which explains whatever else is wrong."""
        return bool(packets) and 2 * self.records >= packets


def _capture_warnings(contact: Contact, summary: dict[str, Any], lost: Lost, run: _ContactRun) -> list[str | None]:
    """What the contact's counts say about how it was captured. Most of its records lost their
    data: what lost it, each cause with its count. No payload at all: what was lost, and of the
    rest, that none is a datagram of the downlink (most likely the wrong port). Else the CADU
    length the markers' distances suggest."""
    causes = [_cut_warning(contact, summary, lost), _fragments_warning(contact, summary, lost)]
    packets = summary["packets"] - summary["repeated_datagrams"]  # a copy is no packet of its own
    if lost.mostly(packets):
        return causes
    if packets and not summary["payload_bytes"]:
        return [*causes, _port_warning(contact, run.fmt, packets, lost)]
    return [_length_warning(contact, run)]


def _links_warning(contact: Contact, summary: dict[str, Any], stats: list[FileStats]) -> str | None:
    """Packets of a pcapng's interfaces of link types not read, passed over (a capture of a
    loopback beside the downlink's interface: one local packet refused the whole contact)."""
    unread: dict[int, int] = {}
    for file in stats:
        for link, n in file.unread_links.items():
            unread[link] = unread.get(link, 0) + n
    if not unread:
        return None
    links = ", ".join(f"{link} ({n} packet{'' if n == 1 else 's'})" for link, n in sorted(unread.items()))
    kind = "link type" if len(unread) == 1 else "link types"
    return (
        f"groundlink: contact {contact.contact_id}: {sum(unread.values())} of its {summary['packets']} packets passed "
        f"over, captured on interfaces of {kind} {links}, which groundlink does not read; it reads {LINKS_READ}"
    )


def _repeats_warning(contact: Contact, summary: dict[str, Any]) -> str | None:
    """Datagrams the capture recorded twice (repeats.py): left out, and said, as the capture
    that made them (an interface list, a mirror port) is the user's to mend."""
    repeated = summary["repeated_datagrams"]
    if not repeated:
        return None
    return (
        f"groundlink: contact {contact.contact_id}: {repeated} of its {summary['packets']} packets repeated the "
        "datagram before them on their flow byte for byte (one datagram recorded twice, as `tcpdump -i any` does "
        "where traffic crosses a bridge or a veth pair): each copy was left out; capture on the one interface "
        "the dataflow arrives on"
    )


UDP_PORTS_SETTING = "--udp-port (processing.capture.udp_ports in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"


def _port_warning(contact: Contact, fmt: CaptureFormat, packets: int, lost: Lost) -> str:
    """No payload at all, and not for a loss of most records: a wrong --udp-port gave "0 frames"
    and exit 0 without a word. Where no datagram passed the port, none is the downlink's; where
    some did, they carried no VITA-49 data (context packets, or other traffic the port let
    through), and the port is still the first thing to check."""
    ports = ", ".join(map(str, sorted(fmt.udp_ports))) or "any"
    rest = f"its {packets} packets" if not lost.records else f"its other {packets - lost.records} packets"
    if lost.intact:
        return (
            f"groundlink: contact {contact.contact_id}: none of {rest} carried data of the downlink (UDP port "
            f"{ports}): its {lost.intact} datagrams there held no VITA-49 data payload (context packets, or other "
            f"traffic on that port); check {UDP_PORTS_SETTING}"
        )
    return (
        f"groundlink: contact {contact.contact_id}: none of {rest} is a datagram of the downlink (UDP port {ports}); "
        f"check {UDP_PORTS_SETTING}"
    )


def _cut_warning(contact: Contact, summary: dict[str, Any], lost: Lost) -> str | None:
    """The line for the records a capture cut short (`Lost.mostly`): a snap length under the
    packets' size (`tcpdump -s 64` keeps the headers only) loses their data, and was told to
    check --udp-port or --cadu-length, neither of which could help."""
    if not lost.cut:
        return None
    rest = lost.of_cut_datagrams
    also = f", and {rest} more were whole fragments of the datagrams it cut" if rest else ""
    return (
        f"groundlink: contact {contact.contact_id}: {lost.cut} of its {summary['packets']} packets were cut short by "
        f"the capture (each record holds less than its packet: a snap length under the packets' size){also}, so their "
        "data is missing; capture whole packets (tcpdump -s 0)"
    )


def _fragments_warning(contact: Contact, summary: dict[str, Any], lost: Lost) -> str | None:
    """The line for datagrams missing IP fragments whose records were whole: a capture filter on
    the UDP port passes only first fragments (the others carry no UDP header), and so does a
    firewall that drops the rest. It was said to be a snap length, which it is not."""
    if not lost.datagrams:
        return None
    return (
        f"groundlink: contact {contact.contact_id}: {lost.missing} of its {summary['packets']} packets were fragments "
        f"of {lost.datagrams} datagram{'s' * (lost.datagrams != 1)} missing others (the capture holds their records "
        "whole, but not every "
        "fragment: a filter on the UDP port, or a firewall, passes first fragments only), so their data is missing; "
        "capture every fragment of the downlink's datagrams"
    )


def _length_warning(contact: Contact, run: _ContactRun) -> str | None:
    """One line when the sync markers mostly stand another distance apart than the CADU length,
    else None: CADUs of 2048 bytes read as 1024 (half of every CADU skipped, every frame "ok"),
    or CADUs of 1024 bytes read as 2048 (every other frame inside its neighbour, counted lost)."""
    spacing, times = max(run.spacings.items(), key=lambda item: (item[1], -item[0]), default=(0, 0))
    inside, within = max(run.inside.items(), key=lambda item: (item[1], -item[0]), default=(0, 0))
    # CADUs read at a multiple of their length put the next frame's marker at a divisor of the
    # length read (1024 in 2048); a marker elsewhere in every frame is its data's (a relayed
    # CADU at byte 500), which told the user to change a --cadu-length that was right
    if 2 * within > run.looked_inside and within >= SPACINGS_NEEDED and run.fmt.cadu_length % inside == 0:
        spacing, times = inside, within
    elif sum(run.spacings.values()) <= run.on_length or times < SPACINGS_NEEDED:
        return None
    length = run.fmt.cadu_length
    return (
        f"groundlink: contact {contact.contact_id}: its sync markers are mostly {spacing} bytes apart, "
        f"not the CADU length of {length} bytes ({times} frames); check --cadu-length "
        "(processing.capture.cadu_length in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
    )


def _ports_warning(contact: Contact, fmt: CaptureFormat, stats: list[FileStats]) -> str | None:
    """One line when, with no --udp-port, datagrams to several destination ports carried payload:
    they were read as one stream, so a stray datagram of other traffic (a DNS query) put its bytes
    between two frames, and the frame before it came out corrupt with no word of why."""
    ports: dict[int, int] = {}
    for file in stats:
        for port, times in file.ports.items():
            ports[port] = ports.get(port, 0) + times
    if fmt.udp_ports or len(ports) < 2:
        return None
    ranked = sorted(ports.items(), key=lambda item: (-item[1], item[0]))
    named = ", ".join(f"{port} ({times})" for port, times in ranked[:3])
    if rest := ranked[3:]:
        named += f", and {len(rest)} more port{'s' if len(rest) > 1 else ''} ({sum(times for _, times in rest)})"
    return (
        f"groundlink: contact {contact.contact_id}: datagrams to {len(ports)} destination ports carried payload "
        f"(datagrams a port: {named}), read as one stream; give the downlink's with {UDP_PORTS_SETTING}"
    )


PSEUDO_RANDOMIZED_SETTING = (
    "--pseudo-randomized (processing.capture.pseudo_randomized in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
)
# The protocol of each transfer frame version a frame may carry (CCSDS 732.0-B, 132.0-B).
FRAME_VERSIONS = {0: "TM, CCSDS 132.0-B", 1: "AOS, CCSDS 732.0-B"}


def _frames_warning(contact: Contact, summary: dict[str, Any], run: _ContactRun, empty: int = 0) -> str | None:
    """One line when the contact's payload held no frame at all, or at least half its frames are
    of another transfer frame version: "0 frames" or "0 ok, N corrupt" alone does not say that
    the sync marker never appeared, that the captures held no packet at all, or that the downlink
    speaks TM, not AOS."""
    if not summary["packets"]:
        files = f"{summary['files']} capture file{'s hold' if summary['files'] > 1 else ' holds'}"
        held = (
            f"only {summary['bytes']} bytes of file headers"
            if not empty
            else f"only file headers and {empty} record{'s' if empty != 1 else ''} of no bytes (a file's zero-filled "
            "end: a copy that stopped)"
        )
        return (
            f"groundlink: contact {contact.contact_id}: its {files} no packet record, {held}, so it is written empty; "
            "check that the capture ran during the pass"
        )
    if not run.frames and summary["payload_bytes"]:
        marker = run.fmt.sync_marker.hex().upper()
        return (
            f"groundlink: contact {contact.contact_id}: no sync marker {marker} in its {summary['payload_bytes']} "
            "payload bytes, so no frame was found; check --udp-port, and that the delivery carries demodulated "
            "frames (a DigIF delivery holds samples; docs/processing.md, capture formats)"
        )
    other = sum(run.judge.versions.values())
    if not other or 2 * other < run.frames:
        return None
    version = max(run.judge.versions, key=lambda v: run.judge.versions[v])
    # each version with its own count: 17 were said to be version 2 where 16 were, 1 version 3
    rest = ", ".join(f"{n} version {v}" for v, n in sorted(run.judge.versions.items()) if v != version)
    said = (
        f"groundlink: contact {contact.contact_id}: {run.judge.versions[version]} of its {run.frames} frames are "
        f"transfer frame version {version}{f' (and {rest})' if rest else ''}"
    )
    # The pseudo-random sequence begins with two ones, so a frame read with it on, or taken off
    # where it was never on, has its version's two bits flipped: AOS (1) reads as 2, TM (0) as 3.
    if version not in FRAME_VERSIONS and (version ^ 3) in FRAME_VERSIONS:
        if run.fmt.pseudo_randomized:
            return (
                f"{said}, as frames read with {PSEUDO_RANDOMIZED_SETTING} that were never pseudo-randomized are: "
                f"without it they read as version {version ^ 3} ({FRAME_VERSIONS[version ^ 3]}); drop it"
            )
        return (
            f"{said}, as frames still pseudo-randomized (CCSDS 131.0-B) are: taken off, they read as version "
            f"{version ^ 3} ({FRAME_VERSIONS[version ^ 3]}); pass {PSEUDO_RANDOMIZED_SETTING}"
        )
    protocol = FRAME_VERSIONS.get(version, "not a CCSDS version groundlink knows")
    return (
        f"{said} ({protocol}), which groundlink does not decode: it reads AOS frames (version "
        f"{run.fmt.frame_version}, CCSDS 732.0-B) only"
    )


def _spacecraft_warning(contact: Contact, run: _ContactRun) -> str | None:
    """One line when at least half the contact's frames name a spacecraft id the capture format
    does not take, else None: a wrong --spacecraft-id counts every frame corrupt, and "0 ok" alone
    does not say why (a stray frame of another spacecraft is left to its reason in the index)."""
    refused = sum(run.judge.foreign.values())
    if not refused or 2 * refused < run.frames:
        return None
    ranked = sorted(run.judge.foreign.items(), key=lambda item: (-item[1], item[0]))
    named = (
        f"id {ranked[0][0]}"
        if len(ranked) == 1
        else "ids "
        + ", ".join(f"{spacecraft} ({times} frames)" for spacecraft, times in ranked[:3])
        + (f" and {len(ranked) - 3} more" if len(ranked) > 3 else "")
    )
    return (
        f"groundlink: contact {contact.contact_id}: {refused} of its {run.frames} frames name spacecraft {named}, "
        f"not one of {sorted(run.fmt.spacecraft_ids)}; check --spacecraft-id (processing.capture.spacecraft_ids in "
        "the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
    )


def _partition(contact: Contact, summary: dict[str, Any]) -> Partition:
    if summary["start_time"] is not None:
        return Partition.at(summary["start_time"], contact.satellite)
    values = hive_values(contact.files[0])
    truncated = summary["truncated_packets"]
    # "none of its 1 packets" read oddly: a lone packet is "its one packet is not"
    none_of = "its one packet is not" if summary["packets"] == 1 else f"none of its {summary['packets']} packets is"
    if truncated:  # datagrams of the downlink came, none whole: the port is not what to check
        found = (
            f"{none_of} a whole datagram of the downlink ({truncated} truncated: cut short by the capture, or "
            "missing IP fragments)"
        )
    elif summary["packets"]:
        found = f"{none_of} a datagram of the downlink (see --udp-port)"
    else:
        found = "it has no packet, a datagram of the downlink (see --udp-port)"
    try:
        return Partition.of_path(values, contact.satellite)
    except KeyError:
        why = "its path has no year=/month=/day="
    except ValueError:  # month=13, day=30 of February, year=0000, year=-005: no day a product can be under
        written = "/".join(f"{k}={values[k]}" for k in ("year", "month", "day"))
        why = f"its path's {written} is no date"
    raise ProcessingError([f"{contact.files[0]}: contact {contact.contact_id} cannot be dated: {found}, and {why}"])


def _summary(contact: Contact, run: _ContactRun, stats: list[FileStats]) -> dict[str, Any]:
    firsts = [s.first_time for s in stats if s.first_time is not None]
    lasts = [s.last_time for s in stats if s.last_time is not None]
    channels = [
        {
            "spacecraft_id": sc,
            "virtual_channel": vc,
            "frames": t.frames,
            "duplicates": t.duplicates,
            "gaps": t.gaps,
            "missing_frames": t.missing_frames,
            "bytes": t.frames * run.fmt.cadu_length,
        }
        for (sc, vc), t in sorted(run.judge.totals.items())
    ]
    ok, duplicate, corrupt, idle = run.counts
    return {
        "contact_id": contact.contact_id,
        "satellite": contact.satellite,
        "start_time": min(firsts) if firsts else None,
        "end_time": max(lasts) if lasts else None,
        "files": len(stats),
        "packets": sum(s.packets for s in stats),
        "truncated_packets": sum(s.truncated_packets for s in stats),
        "repeated_datagrams": sum(s.repeated_datagrams for s in stats),
        "bytes": sum(s.bytes for s in stats),
        "payload_bytes": run.stream_size,
        "frames": run.frames,
        "ok_frames": ok,
        "duplicate_frames": duplicate,
        "corrupt_frames": corrupt,
        # of those, the ones no gap counts (not a column of the table: the frame-loss figure's)
        "edge_corrupt_frames": run.edge_corrupt + run.leading_corrupt + run.trailing_corrupt,
        "idle_frames": idle,
        "gaps": sum(c["gaps"] for c in channels),
        "missing_frames": sum(c["missing_frames"] for c in channels),
        "skipped_bytes": run.skipped,
        "channels": channels,
    }
