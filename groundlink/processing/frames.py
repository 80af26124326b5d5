"""Finding CCSDS transfer frames in a contact's payload stream, vectorised with numpy.

The synchroniser works like a hardware frame sync: search for the attached sync
marker, then *predict* that the next one sits exactly one CADU later and verify
the predictions in batches that double while they hold (a gather of four bytes per
frame). Only where a prediction fails does it search again, so clean data costs a few
numpy operations per chunk whatever its size, a slip, a truncated frame or junk costs
one local search, and markers closer than a CADU, run after run, one window's search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .config import CaptureFormat, pseudo_random_sequence
from .gather import uints_at

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
SEARCH_WINDOW = 1 << 20
# The first window searched, doubled up to SEARCH_WINDOW. A marker is mostly where the search
# starts (a chunk begins with the frame carried over) or one CADU on, and comparing a whole 1 MiB
# window for it cost about 0.4 ms per search: synchronising a 1 GB contact took 0.015 s instead
# of 0.021 s (2026-12-03).
FIRST_SEARCH_WINDOW = 4 << 10
# How far after a whole frame the next marker is looked for to judge the bytes in between: out
# of order datagrams displace bytes by a datagram or a few (at most 64 KiB each), so a marker
# further on says nothing about the frame's own tail. A fixed reach, not the buffer's end, so
# the judgement is the same wherever a file or a chunk ends.
OFF_GRID_REACH = 1 << 20
# Predictions of a run verified at once, at first: doubled while they hold. Every prediction to
# the buffer's end, verified wherever a search found a marker, made a stream that alternates a
# whole frame and a short one (a partner's bytes can) cost the frames times the buffer's CADUs.
FIRST_PREDICTIONS = 8
# At most this many frames are taken from a buffer in one call: a stream of sync markers a few
# bytes apart is a frame every few bytes (short, corrupt), and a 64 MiB buffer of them, about 13
# million frames, held gigabytes of index rows at once. 256 Ki frames are 256 MiB of whole CADUs
# of 1024 bytes, more than a read's buffer holds, so a frame stream is never cut by it.
MAX_FRAMES_PER_CALL = 1 << 18
# "Frame synchronizers should therefore be set to expect a marker at every Transmitted Codeblock"
# (CCSDS 131.0-B, §8): a marker found inside a frame, before one CADU, starts no frame while the
# grid goes on past a damaged marker, at one of the next grid points up to this many CADUs on.
# Taken as a resync instead, a frame whose data holds the marker's bytes at a fixed place (a
# relayed CADU) put every later frame on a grid half a frame off: frames lost, uncounted, and
# a stream of made-up frames written.
FLYWHEEL_CADUS = 4


def find_marker(data: U8, marker: U8, start: int) -> int:
    """Offset of the first sync marker at or after `start`, or -1."""
    m = len(marker)
    end = len(data)
    window_bytes = FIRST_SEARCH_WINDOW
    while start + m <= end:
        stop = min(start + window_bytes, end - m + 1)
        window_bytes = min(2 * window_bytes, SEARCH_WINDOW)
        window = data[start : stop + m - 1]
        hits = np.flatnonzero(window[: stop - start] == marker[0])
        for k in range(1, m):
            if not len(hits):
                break
            hits = hits[window[hits + k] == marker[k]]
        if len(hits):
            return start + int(hits[0])
        start = stop
    return -1


def markers_at(data: U8, marker: U8, positions: I64) -> npt.NDArray[np.bool_]:
    """Whether each position holds the sync marker (positions must leave room for it)."""
    if len(marker) in (1, 2, 4):  # the usual 4-byte marker: one gather
        expected = int.from_bytes(marker.tobytes(), "big")
        return np.asarray(uints_at(data, positions, len(marker)) == expected)
    ok = np.ones(len(positions), dtype=bool)
    for k in range(len(marker)):
        ok &= data[positions + k] == marker[k]
    return ok


@dataclass
class Found:
    """Frames found in one buffer: their start offsets and lengths, plus bytes outside frames."""

    starts: list[I64] = field(default_factory=list)
    lengths: list[I64] = field(default_factory=list)
    skipped: int = 0
    # whole frames whose next marker came late, off the frame grid: start -> the bytes between
    off_grid: dict[int, int] = field(default_factory=dict)
    count: int = 0  # frames found
    # the buffer was left at MAX_FRAMES_PER_CALL frames: its bytes from the offset returned are
    # synchronised by another call, before more bytes are added to them
    more: bool = False

    def add_run(self, first: int, count: int, length: int) -> None:
        if count > 0:
            self.starts.append(first + length * np.arange(count, dtype=np.int64))
            self.lengths.append(np.full(count, length, dtype=np.int64))
            self.count += count

    def add_frames(self, starts: I64, lengths: I64) -> None:
        if len(starts):
            self.starts.append(starts)
            self.lengths.append(lengths)
            self.count += len(starts)

    def arrays(self) -> tuple[I64, I64]:
        if not self.starts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(self.starts), np.concatenate(self.lengths)


def synchronise(data: U8, fmt: CaptureFormat, final: bool) -> tuple[Found, int]:
    """Frames in `data`, and the offset from which bytes must be kept for the next buffer.

    Unless `final`, a frame is only taken once the marker after it is in the buffer
    (or the frame is complete and something else follows), so a frame cut by the
    buffer's end is carried over instead of being reported truncated. At most
    MAX_FRAMES_PER_CALL frames are taken (`Found.more`: call again on the bytes from
    the offset returned, with the same `final`).
    """
    marker = np.frombuffer(fmt.sync_marker, dtype=np.uint8)
    m, size, length = len(marker), len(data), fmt.cadu_length
    found = Found()
    at = 0
    while True:
        if found.count >= MAX_FRAMES_PER_CALL:
            found.more = True
            return found, at
        start = find_marker(data, marker, at)
        if start < 0:
            keep = size if final else max(at, size - m + 1)
            found.skipped += keep - at
            return found, keep
        found.skipped += start - at
        room = (size - m - start) // length  # predictions whose marker fits in the buffer
        taken = MAX_FRAMES_PER_CALL - found.count
        # checked no further than the cap: each call would check the rest of the run again
        verified = _verified(data, marker, start, length, min(room, taken))
        if verified >= taken:  # CADUs of a few bytes: millions a buffer
            found.add_run(start, taken, length)
            found.more = True
            return found, start + taken * length  # a verified marker: the next call starts there
        found.add_run(start, verified, length)
        last = start + verified * length  # a frame not (yet) followed by a marker
        if not final and last + length + m > size:
            return found, last
        if verified == room and last + length <= size:
            # The stream's last frame, whole: no marker could follow it, so none was predicted
            # and none failed. A search inside it would take its own data for an early marker
            # (1ACFFC1D in the data field) and cut it in two.
            found.add_run(last, 1, length)
            at = last + length
            continue
        following = find_marker(data, marker, last + 1)
        if 0 <= following < last + length:  # a marker inside this frame, early
            grid = _grid_resumes(data, marker, last, length, final)
            if grid is None:  # whether the grid goes on is in bytes still to come
                return found, last
            if grid:  # it does: this frame is whole, the next ones' markers were damaged
                found.add_run(last, 1, length)
                found.skipped += grid - (last + length)
                at = grid
                continue
            found.add_run(last, 1, following - last)  # it does not: this frame is short
            at = _short_run(data, marker, following, length, found, final)
        elif last + length <= size:
            after = last + length
            if not final and following < 0 and after + OFF_GRID_REACH + m > size:
                # the next marker may still come within reach, in the bytes of the next buffer
                # (the contact's next file, or the reader's next window): the frame waits for it
                return found, last
            found.add_run(last, 1, length)
            at = after
            # Bytes up to the next marker that are not whole frames (whose markers were damaged)
            # were put in the stream out of place, datagrams reordered or lost: this frame's own
            # bytes may be among them, and what follows its header is not what was sent. With no
            # marker after them, the bytes up to the stream's end: a datagram lost near the end
            # of a pass gave the frame before it another frame's tail, marked ok. (Short of the
            # end a marker may still come: there the bytes are past the reach.)
            between = (following if following >= 0 else size) - at
            if 0 <= between <= OFF_GRID_REACH and between % length:
                found.off_grid[last] = between
        else:  # the stream ends inside this frame
            found.add_run(last, 1, size - last)
            return found, size


def _verified(data: U8, marker: U8, start: int, length: int, room: int) -> int:
    """How many of the `room` frame starts predicted after `start` hold the marker before the
    first that does not: checked FIRST_PREDICTIONS at a time, doubled while they hold, so a run
    costs in proportion to its own length, not to the buffer's."""
    verified, batch = 0, FIRST_PREDICTIONS
    while verified < room:
        n = min(batch, room - verified)
        predicted = start + length * np.arange(verified + 1, verified + n + 1, dtype=np.int64)
        misses = np.flatnonzero(~markers_at(data, marker, predicted))
        if len(misses):
            return verified + int(misses[0])
        verified, batch = verified + n, 2 * batch
    return verified


def _grid_resumes(data: U8, marker: U8, last: int, length: int, final: bool) -> int | None:
    """Where the grid of the frame at `last` goes on past damaged markers: the first grid point
    2 to FLYWHEEL_CADUS frames on that holds a marker; 0 where none does; None where a grid point
    before any found lies past the buffer's end, unless `final`."""
    for k in range(2, FLYWHEEL_CADUS + 1):
        point = last + k * length
        if point + len(marker) > len(data):
            return 0 if final else None
        if markers_at(data, marker, np.array([point], dtype=np.int64))[0]:
            return point
    return 0


def _short_run(data: U8, marker: U8, at: int, length: int, found: Found, final: bool) -> int:
    """Take at once the short frames that follow each other from the marker at `at`, and
    return where the search goes on. A frame is short where no marker stands a CADU after its
    own (nor the grid goes on further, `_grid_resumes`) and the next marker comes before that,
    as the loop in `synchronise` judges it one frame at a time; markers a few bytes apart (a
    partner's bytes, or noise) made that a loop iteration of several searches per few bytes:
    minutes for a few megabytes. The markers of a window are found in one pass, the window
    doubling from FIRST_SEARCH_WINDOW while the run fills it (a lone short frame costs a small
    one), and the run ends at the first marker that starts no short frame (its frame is judged
    by the loop)."""
    m, size = len(marker), len(data)
    window_bytes = FIRST_SEARCH_WINDOW
    while found.count < MAX_FRAMES_PER_CALL:
        stop = min(at + window_bytes, size - m + 1)
        window = data[at : stop + m - 1]
        hits = np.flatnonzero(window[: stop - at] == marker[0])
        for k in range(1, m):
            hits = hits[window[hits + k] == marker[k]]
        markers = at + hits.astype(np.int64)
        if len(markers) < 2:
            return at
        starts, spans = markers[:-1], np.diff(markers)
        short = (spans < length) & (starts + length + m <= size)  # a prediction that fits the buffer
        short[short] = ~markers_at(data, marker, starts[short] + length)
        for k in range(2, FLYWHEEL_CADUS + 1):  # and no grid that goes on (`_grid_resumes`)
            points = starts + k * length
            fits = points + m <= size
            if not final:
                short &= fits  # undecided yet: the loop waits for the bytes
            judged = short & fits
            short[judged] = ~markers_at(data, marker, points[judged])
        run = int(np.argmin(short)) if not short.all() else len(short)
        run = min(run, MAX_FRAMES_PER_CALL - found.count)
        found.add_frames(starts[:run], spans[:run])
        at = int(markers[run])
        if run < len(short) or stop >= size - m + 1:
            return at
        window_bytes = min(2 * window_bytes, SEARCH_WINDOW)
    return at


def derandomize(data: U8, starts: I64, lengths: I64, fmt: CaptureFormat) -> U8:
    """`data` with the CCSDS pseudo-random sequence taken off each frame's bytes after its sync
    marker (CaptureFormat.pseudo_randomized), in place where `data` may be written: the frame
    index and the streams then read the frames as sent. Frames that follow each other without
    a byte between them are one 2-D view, one XOR a run; a short frame gets its own."""
    if not data.flags.writeable:
        data = data.copy()
    marker, length = len(fmt.sync_marker), fmt.cadu_length
    sequence = _sequence(length - marker)
    breaks = np.flatnonzero((np.diff(starts) != length) | (lengths[1:] != length)) + 1
    for lo, hi in zip(np.concatenate(([0], breaks)), np.concatenate((breaks, [len(starts)])), strict=True):
        if lengths[lo] == length:
            rows = data[starts[lo] : starts[lo] + (hi - lo) * length].reshape(hi - lo, length)
            rows[:, marker:] ^= sequence
            continue
        for start, size in zip(starts[lo:hi].tolist(), lengths[lo:hi].tolist(), strict=True):
            body = max(0, size - marker)
            data[start + marker : start + marker + body] ^= sequence[:body]
    return data


_SEQUENCES: dict[int, U8] = {}


def _sequence(length: int) -> U8:
    """The first `length` bytes of the pseudo-random sequence, made once per frame length."""
    found = _SEQUENCES.get(length)
    if found is None:
        period = np.frombuffer(pseudo_random_sequence(255), dtype=np.uint8)  # 255 bits: 255 bytes realign
        found = _SEQUENCES[length] = np.resize(period, length)
    return found
