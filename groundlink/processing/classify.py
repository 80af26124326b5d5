"""Decoding AOS primary headers and judging each frame: ok, duplicate or corrupt, and gaps.

Frame counts are 24-bit and wrap; per virtual channel they are unwrapped (each to
the value nearest the count before it) to a monotonic count so that a repeat (a count at or below the highest seen) is a
duplicate and a jump is a gap of `jump - 1` missing frames, all vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .config import CaptureFormat
from .frames import I64, U8
from .gather import uints_at

COUNT_MODULUS = 1 << 24
OK, DUPLICATE, CORRUPT = 0, 1, 2
STATUS_NAMES = ("ok", "duplicate", "corrupt")


@dataclass
class Headers:
    valid: npt.NDArray[np.bool_]  # the frame is long enough to hold a primary header
    version: I64
    spacecraft: I64
    channel: I64
    count: I64


def decode_headers(data: U8, starts: I64, lengths: I64, marker_length: int) -> Headers:
    """AOS primary header (CCSDS 732.0-B): version 2 bits, spacecraft id 8, virtual channel 6,
    virtual channel frame count 24."""
    valid = lengths >= marker_length + 6
    at = starts[valid] + marker_length

    def column(values: npt.NDArray[np.int64]) -> I64:
        out = np.full(len(starts), -1, dtype=np.int64)
        out[valid] = values
        return out

    first = uints_at(data, at, 4)  # version, spacecraft, channel, frame count's high byte
    b0, b1 = first >> 24, (first >> 16) & 0xFF
    count = ((first & 0xFFFF) << 8) | data[at + 4]
    return Headers(
        valid,
        column(b0 >> 6),
        column(((b0 & 0x3F) << 2) | (b1 >> 6)),
        column(b1 & 0x3F),
        column(count),
    )


@dataclass
class ChannelState:
    """What a virtual channel's next frames are judged against."""

    last_raw: int
    wraps: int
    highest: int


@dataclass
class ChannelTotals:
    frames: int = 0
    duplicates: int = 0
    gaps: int = 0
    missing_frames: int = 0


@dataclass
class Judge:
    """Carries per-channel state across the chunks of one contact."""

    fmt: CaptureFormat
    channels: dict[tuple[int, int], ChannelState] = field(default_factory=dict)
    totals: dict[tuple[int, int], ChannelTotals] = field(default_factory=dict)

    def judge(self, headers: Headers, lengths: I64) -> tuple[npt.NDArray[np.int8], list[str | None], I64]:
        """Status per frame, the reason for each frame that is not ok, and frames missing before each."""
        n = len(lengths)
        fmt = self.fmt
        status = np.full(n, OK, dtype=np.int8)
        reasons: list[str | None] = [None] * n
        missing = np.zeros(n, dtype=np.int64)
        for i in np.flatnonzero(lengths < fmt.cadu_length):
            status[i] = CORRUPT
            reasons[i] = f"truncated: {lengths[i]} of {fmt.cadu_length} bytes"
        for i in np.flatnonzero((status == OK) & (headers.version != fmt.frame_version)):
            status[i] = CORRUPT
            reasons[i] = f"transfer frame version {headers.version[i]}, expected {fmt.frame_version}"
        if fmt.spacecraft_ids:
            allowed = np.isin(headers.spacecraft, sorted(fmt.spacecraft_ids))
            for i in np.flatnonzero((status == OK) & ~allowed):
                status[i] = CORRUPT
                reasons[i] = f"spacecraft id {headers.spacecraft[i]} is not one of {sorted(fmt.spacecraft_ids)}"
        good = status == OK
        keys = headers.spacecraft * 64 + headers.channel
        for key in np.unique(keys[good]):
            rows = np.flatnonzero(good & (keys == key))
            dup, gap = self._sequence((int(key) // 64, int(key) % 64), headers.count[rows])
            status[rows[dup]] = DUPLICATE
            for i in rows[dup]:
                reasons[i] = f"repeats frame count {headers.count[i]}"
            missing[rows] = gap
        return status, reasons, missing

    def _sequence(self, channel: tuple[int, int], counts: I64) -> tuple[npt.NDArray[np.bool_], I64]:
        state = self.channels.get(channel)
        first = state is None
        if state is None:
            state = ChannelState(last_raw=int(counts[0]), wraps=0, highest=-1)
        # Each count is taken as the one nearest the count before it (within half the modulus),
        # in either direction: a drop of more than half is a wrap forward, and a rise of more
        # than half a late frame from before the wrap (a duplicate), not a jump of 2**24.
        step = np.diff(np.concatenate(([state.last_raw], counts)))
        wrapped = (step < -(COUNT_MODULUS // 2)).astype(np.int64) - (step > COUNT_MODULUS // 2)
        unwrapped = counts + COUNT_MODULUS * (state.wraps + np.cumsum(wrapped))
        before = np.maximum.accumulate(np.concatenate(([state.highest], unwrapped)))[:-1]
        duplicate = unwrapped <= before
        missing = np.where(duplicate, 0, unwrapped - before - 1)
        if first:
            missing[0] = 0
        self.channels[channel] = ChannelState(
            last_raw=int(counts[-1]),
            wraps=state.wraps + int(wrapped.sum()),
            highest=int(max(before[-1], unwrapped[-1])),
        )
        totals = self.totals.setdefault(channel, ChannelTotals())
        totals.frames += int((~duplicate).sum())
        totals.duplicates += int(duplicate.sum())
        totals.gaps += int((missing > 0).sum())
        totals.missing_frames += int(missing.sum())
        return duplicate, missing.astype(np.int64)
