"""Finding CCSDS transfer frames in a contact's payload stream, vectorised with numpy.

The synchroniser works like a hardware frame sync: search for the attached sync
marker, then *predict* that the next one sits exactly one CADU later and verify
every prediction of the chunk at once (a gather of four bytes per frame). Only
where a prediction fails does it search again, so clean data costs a few numpy
operations per chunk whatever its size, and a slip, a truncated frame or junk
costs one local search.
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

    def add_run(self, first: int, count: int, length: int) -> None:
        if count > 0:
            self.starts.append(first + length * np.arange(count, dtype=np.int64))
            self.lengths.append(np.full(count, length, dtype=np.int64))

    def arrays(self) -> tuple[I64, I64]:
        if not self.starts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(self.starts), np.concatenate(self.lengths)


def synchronise(data: U8, fmt: CaptureFormat, final: bool) -> tuple[Found, int]:
    """Frames in `data`, and the offset from which bytes must be kept for the next buffer.

    Unless `final`, a frame is only taken once the marker after it is in the buffer
    (or the frame is complete and something else follows), so a frame cut by the
    buffer's end is carried over instead of being reported truncated.
    """
    marker = np.frombuffer(fmt.sync_marker, dtype=np.uint8)
    m, size, length = len(marker), len(data), fmt.cadu_length
    found = Found()
    at = 0
    while True:
        start = find_marker(data, marker, at)
        if start < 0:
            keep = size if final else max(at, size - m + 1)
            found.skipped += keep - at
            return found, keep
        found.skipped += start - at
        room = (size - m - start) // length  # predictions whose marker fits in the buffer
        predicted = start + length * np.arange(1, room + 1, dtype=np.int64)
        misses = np.flatnonzero(~markers_at(data, marker, predicted))
        verified = int(misses[0]) if len(misses) else room
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
        if 0 <= following < last + length:  # the next marker came early: this frame is short
            found.add_run(last, 1, following - last)
            at = following
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
