"""Decoding AOS primary headers and judging each frame: ok, duplicate or corrupt, and gaps.

Frame counts are 24-bit (28 with the frame count cycle in use) and wrap; per sequence of a
virtual channel (`sequence_keys`: real-time and replayed frames apart) each is unwrapped to
the value nearest the count before it. A frame is a duplicate only when its unwrapped count was
already received in its channel's sequence: frames that arrive late (out of order) are
kept. Gaps and missing frames come from the set of counts received, so a late frame
fills the gap it belongs to. A count more than REORDER_WINDOW below the frame before it
is a frame-count reset and starts a new sequence. All vectorised: a sort per channel and
chunk, and the counts received kept as runs of consecutive counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .config import CaptureFormat
from .frames import I64, U8
from .gather import uints_at

COUNT_MODULUS = 1 << 24
# A count this far (or less) below the frame before it on its channel is a late or repeated
# frame of the same sequence; further below, the counter was reset and a new sequence starts.
REORDER_WINDOW = 1024
OK, DUPLICATE, CORRUPT, IDLE = 0, 1, 2, 3
STATUS_NAMES = ("ok", "duplicate", "corrupt", "idle")
# The virtual channel AOS reserves for idle frames, all ones (CCSDS 732.0-B-4 §4.1.2.3: "the
# VCID value of 'all ones' is reserved to identify Idle Data"): the fill a downlink sends when it
# has no data. They carry no data and their counts no sequence, so they are neither streamed nor
# judged for gaps and duplicates; the index keeps them as `idle`.
IDLE_CHANNEL = 63

Bools = npt.NDArray[np.bool_]


def _empty() -> I64:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Headers:
    valid: npt.NDArray[np.bool_]  # the frame is long enough to hold a primary header
    version: I64
    spacecraft: I64
    channel: I64
    count: I64
    # the signalling field (CCSDS 732.0-B §4.1.2.5): replay flag, frame count usage flag, the
    # spacecraft id's 2 high bits (issue 5), frame count cycle
    signalling: I64


# The frame count cycle, when its usage flag is set, extends the 24-bit count to 28 bits.
CYCLE_MODULUS = 1 << 28


def sequence_keys(spacecraft: I64, channel: I64, count: I64, signalling: I64) -> tuple[I64, I64]:
    """The sequence each frame's count belongs to, and its count within it. A virtual channel
    holds up to four: real-time frames and a recorder's playback (the replay flag, §4.1.2.5.2)
    count apart, and frames whose header says the frame count cycle is in use (§4.1.2.5.3,
    §4.1.2.5.5) count to 2^28 with it, the others to 2^24. Judged as one sequence, playback
    interleaved with real-time frames read as resets and gaps of millions of frames.
    Key: (spacecraft * 64 + channel) * 4 + replay * 2 + usage."""
    flags = (signalling >> 6) & 3  # bit 7 the replay flag, bit 6 the usage flag
    keys = ((spacecraft * 64 + channel) << 2) | flags
    return keys, np.where(flags & 1 == 1, ((signalling & 0xF) << 24) | count, count)


def decode_headers(data: U8, starts: I64, lengths: I64, marker_length: int) -> Headers:
    """AOS primary header (CCSDS 732.0-B): version 2 bits, spacecraft id 8, virtual channel 6,
    virtual channel frame count 24, then the signalling field, whose bits 2-3 are the spacecraft
    id's 2 most significant (issue 5; 00 before it): two spacecraft 256 ids apart were one."""
    valid = lengths >= marker_length + 6
    at = starts[valid] + marker_length

    def column(values: npt.NDArray[np.int64]) -> I64:
        out = np.full(len(starts), -1, dtype=np.int64)
        out[valid] = values
        return out

    first = uints_at(data, at, 4)  # version, spacecraft, channel, frame count's high byte
    b0, b1 = first >> 24, (first >> 16) & 0xFF
    count = ((first & 0xFFFF) << 8) | data[at + 4]
    signalling = data[at + 5].astype(np.int64)
    return Headers(
        valid,
        column(b0 >> 6),
        column((((signalling >> 4) & 3) << 8) | ((b0 & 0x3F) << 2) | (b1 >> 6)),
        column(b1 & 0x3F),
        column(count),
        column(signalling),
    )


@dataclass
class ChannelTotals:
    frames: int = 0
    duplicates: int = 0
    gaps: int = 0
    missing_frames: int = 0


@dataclass
class ChannelState:
    """What a virtual channel's next frames are judged against: the last count (raw, and how
    often the counts have wrapped), the counts received in the current sequence as runs
    `starts[i]..ends[i]` (sorted, neither overlapping nor touching), and the totals so far,
    gaps and missing frames of the sequences before the current one."""

    last_raw: int
    modulus: int = COUNT_MODULUS  # CYCLE_MODULUS for frames counting with the cycle
    wraps: int = 0
    starts: I64 = field(default_factory=_empty)
    ends: I64 = field(default_factory=_empty)
    frames: int = 0
    duplicates: int = 0
    closed_gaps: int = 0
    closed_missing: int = 0

    def totals(self) -> ChannelTotals:
        inner = self.starts[1:] - self.ends[:-1] - 1
        return ChannelTotals(
            self.frames, self.duplicates, self.closed_gaps + len(inner), self.closed_missing + int(inner.sum())
        )


@dataclass
class _Sequenced:
    """One channel's frames of one chunk, judged."""

    duplicate: Bools
    reset: Bools
    previous: I64  # the raw count of the channel's frame before each reset
    missing: I64


@dataclass
class Judge:
    """Carries per-channel state across the chunks of one contact."""

    fmt: CaptureFormat
    # per sequence: (spacecraft, virtual channel, replay flag * 2 + count cycle usage flag)
    channels: dict[tuple[int, int, int], ChannelState] = field(default_factory=dict)
    # set when a frame was received below the highest count of an earlier chunk: the
    # `missing_before` of frames already written may have changed (see `final_missing`)
    stale: bool = False
    # frames refused for a spacecraft id `fmt.spacecraft_ids` does not take, per id: most of a
    # contact's refused so is a wrong --spacecraft-id, which the run then says
    foreign: dict[int, int] = field(default_factory=dict)
    # frames refused for another transfer frame version, per version: most of a contact's so
    # is a downlink of another protocol (TM), which the run then says
    versions: dict[int, int] = field(default_factory=dict)

    @property
    def totals(self) -> dict[tuple[int, int], ChannelTotals]:
        """Per (spacecraft, virtual channel): its sequences' totals together."""
        merged: dict[tuple[int, int], ChannelTotals] = {}
        for (spacecraft, channel, _), state in sorted(self.channels.items()):
            one, before = state.totals(), merged.get((spacecraft, channel), ChannelTotals())
            merged[(spacecraft, channel)] = ChannelTotals(
                before.frames + one.frames,
                before.duplicates + one.duplicates,
                before.gaps + one.gaps,
                before.missing_frames + one.missing_frames,
            )
        return merged

    def judge(
        self, headers: Headers, lengths: I64, off_grid: I64 | None = None
    ) -> tuple[npt.NDArray[np.int8], list[str | None], I64]:
        """Status per frame, the reason for each frame that is not ok (or that starts a new
        sequence), and frames missing before each. `off_grid`: per frame, the bytes between it
        and the next marker that are not whole frames (`Found.off_grid`), 0 for none."""
        n = len(lengths)
        fmt = self.fmt
        status = np.full(n, OK, dtype=np.int8)
        reasons: list[str | None] = [None] * n
        for i in np.flatnonzero(lengths < fmt.cadu_length):
            status[i] = CORRUPT
            reasons[i] = f"truncated: {lengths[i]} of {fmt.cadu_length} bytes"
        if off_grid is not None:
            for i in np.flatnonzero((status == OK) & (off_grid > 0)):
                status[i] = CORRUPT
                reasons[i] = (
                    f"followed by {off_grid[i]} bytes off the frame grid (datagrams lost or out of order): "
                    "its own bytes may be among them"
                )
        other = np.flatnonzero((status == OK) & (headers.version != fmt.frame_version))
        for i in other:
            status[i] = CORRUPT
            reasons[i] = f"transfer frame version {headers.version[i]}, expected {fmt.frame_version}"
        for version, times in zip(*np.unique(headers.version[other], return_counts=True), strict=True):
            self.versions[int(version)] = self.versions.get(int(version), 0) + int(times)
        if fmt.spacecraft_ids:
            allowed = np.isin(headers.spacecraft, sorted(fmt.spacecraft_ids))
            refused = np.flatnonzero((status == OK) & ~allowed)
            given = spacecraft_ids_text(fmt.spacecraft_ids)
            for i in refused:
                status[i] = CORRUPT
                reasons[i] = f"spacecraft id {headers.spacecraft[i]} is not one of {given}"
            for spacecraft, times in zip(*np.unique(headers.spacecraft[refused], return_counts=True), strict=True):
                self.foreign[int(spacecraft)] = self.foreign.get(int(spacecraft), 0) + int(times)
        status[(status == OK) & (headers.channel == IDLE_CHANNEL)] = IDLE  # no reason: the status says it
        keys, counts = sequence_keys(headers.spacecraft, headers.channel, headers.count, headers.signalling)
        missing = self.sequences(keys, counts, status, reasons)
        return status, reasons, missing

    def sequences(self, keys: I64, counts: I64, status: npt.NDArray[np.int8], reasons: list[str | None]) -> I64:
        """Judge the frames still ok in `status` (marking duplicates there, and their reasons)
        channel by channel; return the frames missing before each frame."""
        missing = np.zeros(len(keys), dtype=np.int64)
        good = status == OK
        for key in _distinct(keys[good]):
            rows = np.flatnonzero(good & (keys == key))
            judged = self._sequence((int(key) >> 8, (int(key) >> 2) & 63, int(key) & 3), counts[rows])
            status[rows[judged.duplicate]] = DUPLICATE
            said = _count_text(int(key))
            for i in rows[judged.duplicate]:
                reasons[i] = f"repeats frame count {said(counts[i])}"
            for i, before in zip(rows[judged.reset], judged.previous, strict=True):
                reasons[i] = f"frame count reset from {said(before)} to {said(counts[i])}: a new sequence"
            missing[rows] = judged.missing
        return missing

    def _sequence(self, channel: tuple[int, int, int], counts: I64) -> _Sequenced:
        n = len(counts)
        state = self.channels.get(channel)
        if state is None:
            modulus = CYCLE_MODULUS if channel[2] & 1 else COUNT_MODULUS
            state = self.channels[channel] = ChannelState(last_raw=int(counts[0]), modulus=modulus)
        # Each count is taken as the one nearest the count before it (within half the modulus),
        # in either direction: a drop of more than half is a wrap forward, and a rise of more
        # than half a late frame from before the wrap, not a jump of 2**24.
        # A whole contact's frames are judged at once when its index is rewritten: each array
        # here is 8 bytes a frame, so what is done with is let go at once (about 210 bytes a
        # frame at the peak before, 2026-12-05).
        previous = np.concatenate(([state.last_raw], counts[:-1]))
        step = counts - previous
        modulus = state.modulus
        wrapped = (step < -(modulus // 2)).astype(np.int64)
        wrapped -= step > modulus // 2
        step += modulus * wrapped
        np.cumsum(wrapped, out=wrapped)  # the wraps before each count, in place
        wraps = int(wrapped[-1])
        wrapped += state.wraps
        wrapped *= modulus
        unwrapped = wrapped
        unwrapped += counts
        del wrapped
        reset = step < -REORDER_WINDOW
        previous = previous[reset]  # only the resets' reasons name the count before
        starts, ends = state.starts, state.ends
        if (step[1:] > 0).all() and (not len(ends) or unwrapped[0] > ends[-1]):
            # the usual chunk: every count above all received before, none repeated, no reset
            duplicate = np.zeros(n, dtype=np.bool_)
            missing = np.empty(n, dtype=np.int64)
            missing[0] = unwrapped[0] - ends[-1] - 1 if len(ends) else 0
            np.subtract(step[1:], 1, out=missing[1:])
            cut = np.flatnonzero(step[1:] != 1) + 1
            run_start = unwrapped[np.concatenate(([0], cut))]
            run_end = unwrapped[np.concatenate((cut - 1, [n - 1]))]
            starts, ends = _coalesce(np.concatenate((starts, run_start)), np.concatenate((ends, run_end)))
        else:
            del step
            duplicate, missing, starts, ends = self._reordered(state, unwrapped, reset)
        state.frames += n - int(duplicate.sum())
        state.duplicates += int(duplicate.sum())
        state.starts, state.ends = starts, ends
        state.last_raw = int(counts[-1])
        state.wraps += wraps
        return _Sequenced(duplicate, reset, previous, missing)

    def _reordered(self, state: ChannelState, unwrapped: I64, reset: Bools) -> tuple[Bools, I64, I64, I64]:
        """Duplicates, frames missing before each, and the runs of the last sequence's counts,
        of a chunk with counts out of order, repeated or reset."""
        n = len(unwrapped)
        # 0: the channel's current sequence, continued from the chunk before (4 bytes a frame)
        sequence = np.cumsum(reset, dtype=np.int32)
        resets = int(sequence[-1])
        # A count is a duplicate when received before: earlier in this chunk (the stable sort
        # puts the first arrival of each count first), or in an earlier one (the runs kept).
        order = np.lexsort((unwrapped, sequence)) if resets else np.argsort(unwrapped, kind="stable")
        ordered, ordered_sequence = unwrapped[order], sequence[order]
        again = ordered[1:] == ordered[:-1]
        if resets:
            again &= ordered_sequence[1:] == ordered_sequence[:-1]
        duplicate = np.zeros(n, dtype=np.bool_)
        duplicate[order[1:][again]] = True
        starts, ends = state.starts, state.ends
        if len(starts) and unwrapped.min() <= ends[-1]:
            at = np.maximum(np.searchsorted(starts, unwrapped, side="right") - 1, 0)
            duplicate |= (sequence == 0) & (unwrapped >= starts[at]) & (unwrapped <= ends[at])
            del at
        del sequence, again

        # The counts received for the first time, in order, as runs of consecutive counts.
        fresh = ~duplicate[order]
        new, new_sequence = ordered[fresh], ordered_sequence[fresh]
        del ordered, ordered_sequence
        cut = np.flatnonzero((np.diff(new) != 1) | (np.diff(new_sequence) != 0)) + 1
        run_start = new[np.concatenate(([0], cut))] if len(new) else _empty()
        run_end = new[np.concatenate((cut - 1, [len(new) - 1]))] if len(new) else _empty()
        run_sequence = new_sequence[np.concatenate(([0], cut))] if len(new) else _empty()
        current = run_sequence == 0
        merged_starts = np.concatenate((starts, run_start[current]))
        merged_ends = np.concatenate((ends, run_end[current]))
        if len(starts) and current.any() and run_start[0] < ends[-1]:
            # below the highest count of an earlier chunk: a late frame, which may fill a gap
            # whose `missing_before` an earlier frame already holds
            self.stale = True
            by_start = np.argsort(merged_starts, kind="stable")
            merged_starts, merged_ends = merged_starts[by_start], merged_ends[by_start]
        merged_starts, merged_ends = _coalesce(merged_starts, merged_ends)

        # Missing before a new count: those between it and the count received just below it
        # in its sequence (none before a sequence's lowest count).
        missing_new = np.zeros(len(new), dtype=np.int64)
        behind = np.flatnonzero(new_sequence[1:] == new_sequence[:-1]) + 1
        missing_new[behind] = new[behind] - new[behind - 1] - 1
        in_current = int((new_sequence == 0).sum())  # the current sequence's counts come first
        if in_current:
            first = new[:in_current]
            at = np.searchsorted(merged_starts, first, side="right") - 1
            below = np.where(at > 0, merged_ends[np.maximum(at - 1, 0)], first - 1)
            missing_new[:in_current] = np.where(first == merged_starts[at], first - below - 1, 0)
        missing = np.zeros(n, dtype=np.int64)
        missing[order[fresh]] = missing_new

        if resets:  # close the sequences before the last: only their totals are kept
            inner = merged_starts[1:] - merged_ends[:-1] - 1
            state.closed_gaps += len(inner)
            state.closed_missing += int(inner.sum())
            later = ~current & (run_sequence < resets)
            same = later[1:] & (run_sequence[1:] == run_sequence[:-1])
            inner = (run_start[1:] - run_end[:-1] - 1)[same]
            state.closed_gaps += len(inner)
            state.closed_missing += int(inner.sum())
            last_sequence = run_sequence == resets
            merged_starts, merged_ends = run_start[last_sequence], run_end[last_sequence]
        return duplicate, missing, merged_starts, merged_ends


def _count_text(key: int) -> Callable[[int], str]:
    """How a reason names a count of sequence `key`: as the header holds it (the index's
    `frame_count`), with its cycle where the cycle is in use, and `(replayed)` for playback."""
    replayed = " (replayed)" if key & 2 else ""
    if key & 1:
        return lambda count: f"{int(count) % COUNT_MODULUS} of cycle {int(count) // COUNT_MODULUS}{replayed}"
    return lambda count: f"{int(count)}{replayed}"


def _distinct(keys: I64) -> I64:
    """The distinct keys, ascending. Sequence keys (`sequence_keys`) are small and not
    negative, so a count finds them where `np.unique` hashed every key: judging a 1 GB contact
    took 0.015 s instead of 0.024 s (2026-12-03)."""
    if len(keys) and keys.min() >= 0:
        return np.flatnonzero(np.bincount(keys))
    return np.unique(keys)


def _coalesce(starts: I64, ends: I64) -> tuple[I64, I64]:
    """Runs sorted by start, none overlapping, with the runs that touch joined."""
    if len(starts) < 2:
        return starts, ends
    apart = np.concatenate(([True], starts[1:] > ends[:-1] + 1))
    last = np.concatenate((np.flatnonzero(apart)[1:] - 1, [len(apart) - 1]))
    return starts[apart], ends[last]


def final_missing(keys: I64, counts: I64, unjudged: Bools) -> I64:
    """`missing_before` of every frame of a contact (its sequence keys and counts, `sequence_keys`, and which are
    corrupt or idle, left out of every sequence, in stream order), judged with all of them known
    at once."""
    status = np.where(unjudged, CORRUPT, OK).astype(np.int8)
    return Judge(CaptureFormat()).sequences(keys, counts, status, [None] * len(keys))


# The ids a refusal lists whole; past it, the count and the first and last. The frame index's
# `reason` is a string column the catalogs declare, and Synapse serverless SQL's views
# varchar(1024) (tables.py): the whole list of 1,024 ids (what the spec takes) came to 5,900 bytes.
SPACECRAFT_IDS_SHOWN = 8


def spacecraft_ids_text(ids: Iterable[int]) -> str:
    """The spacecraft ids a contact was told to take, for a reason: `[157]`, or `the 301 given
    (300, 301, 302, ..., 600)`."""
    ordered = sorted(ids)
    if len(ordered) <= SPACECRAFT_IDS_SHOWN:
        return str(ordered)
    return f"the {len(ordered)} given ({ordered[0]}, {ordered[1]}, {ordered[2]}, ..., {ordered[-1]})"
