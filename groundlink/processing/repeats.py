"""Datagrams a capture holds twice, left out of the stream.

`tcpdump -i any` on a host whose traffic crosses a bridge or a veth pair (a container's
network), or a switch's mirror port that copies both directions of a link, records one
datagram once for each interface it crosses: the copies follow one another, the same bytes
from the UDP header on (their link headers differ, and IP's time to live may). Taken into the
stream, each copy repeats a stretch of the downlink's bytes: frames it cuts come out corrupt
(and the hint blames the CADU length), whole frames it holds come out again as duplicates.

A copy is known for certain, not guessed: each datagram holds a VITA-49 packet, whose header
carries a 4-bit packet count that the sender adds one to, modulo 16, for every packet of a
stream (the Packet Count field, ANSI/VITA 49.2-2017; docs/processing.md). Two datagrams in a
row of one flow (UDP source and destination port) with the same bytes are therefore one packet
captured twice, never two packets the sender sent. The copy is left out and counted
(`repeated_datagrams` of the contact's summary); the first one is read as any other.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
# Flows whose last datagram is kept from one window or file to the next, at most: a contact
# read with `udp_ports` open takes every UDP flow of the capture, and a copy comes right after
# its original, so the flows least recently seen are the ones given up.
KEPT_FLOWS = 1024
# A datagram's bytes up to the end of its VITA-49 header word, which holds the packet count:
# datagrams shorter than this are never taken for copies.
HEAD = 12


class Repeats:
    """The last datagram of each flow of one stream (a contact's dataflow), kept across its
    files and windows so that a copy that starts the next file is known too."""

    def __init__(self) -> None:
        self._last: dict[int, bytes] = {}

    def _after(self, flow: int, datagram: bytes | None) -> None:
        """`datagram` is now its flow's last; None: one shorter than HEAD, which no copy follows."""
        self._last.pop(flow, None)
        if datagram is not None:
            self._last[flow] = datagram
            if len(self._last) > KEPT_FLOWS:
                del self._last[next(iter(self._last))]

    def repeated(self, datagram: bytes) -> bool:
        """Whether `datagram` (from its UDP header on) repeats the last one of its flow; it
        becomes its flow's last either way."""
        if len(datagram) < 4:  # cut inside its ports: of no known flow
            return False
        flow = int.from_bytes(datagram[:4], "big")
        whole = len(datagram) >= HEAD
        copy = whole and self._last.get(flow) == datagram
        self._after(flow, datagram if whole else None)
        return copy

    def repeated_in(self, flows: I64, marks: I64, sizes: I64, whole: Bools, datagram: Callable[[int], bytes]) -> Bools:
        """Which of a window's datagrams, in record order, repeat the one before them in their
        flow. Per datagram: its flow (`(source port << 16) | destination port`), its marks (an
        integer that two copies share: a digest of some of its bytes), its size, and whether it
        holds HEAD bytes at all (one that does not is never a copy, nor copied); `datagram(i)`
        gives its bytes. Only datagrams of equal size and marks are compared whole, so a capture
        without copies costs a few array operations."""
        n = len(flows)
        repeat = np.zeros(n, dtype=bool)
        if not n:
            return repeat
        order = np.arange(n) if (flows == flows[0]).all() else np.argsort(flows, kind="stable")
        ordered = flows[order]
        same = np.zeros(n, dtype=bool)
        same[1:] = ordered[1:] == ordered[:-1]
        before = np.zeros(n, dtype=np.int64)
        before[1:] = order[:-1]
        alike = same & whole[order] & whole[before] & (sizes[order] == sizes[before]) & (marks[order] == marks[before])
        for at in np.flatnonzero(alike).tolist():
            this, last = int(order[at]), int(before[at])
            repeat[this] = datagram(this) == datagram(last)
        for at in np.flatnonzero(~same).tolist():  # each flow's first here: against its last before
            first = int(order[at])
            kept = self._last.get(int(flows[first]))
            if kept is not None and whole[first] and len(kept) == sizes[first]:
                repeat[first] = kept == datagram(first)
        ends = np.ones(n, dtype=bool)
        ends[:-1] = ordered[1:] != ordered[:-1]
        for at in np.flatnonzero(ends).tolist():
            last = int(order[at])
            self._after(int(flows[last]), datagram(last) if whole[last] else None)
        return repeat
