"""The frame-to-packet lookup (`_Packets.lookup`), which lets go of the packets behind the
frames it has dated, against a plain search over every packet of the contact."""

from __future__ import annotations

import numpy as np

from groundlink.processing.capture import Chunk
from groundlink.processing.processor import _Packets


def test_lookup_matches_a_search_over_every_packet() -> None:
    rng = np.random.default_rng(7)
    packets = _Packets()
    all_starts: list[np.ndarray] = []
    base = 0
    found_at = 0  # the frames of a chunk start at or after those of the chunk before
    for chunk_number in range(12):
        sizes = rng.integers(0, 3000, size=int(rng.integers(1, 40)))  # a size 0 repeats a start
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        size = int(sizes.sum())
        numbers = np.arange(len(sizes), dtype=np.int64) + 100 * chunk_number
        chunk = Chunk(chunk_number % 3, np.zeros(0, np.uint8), 0, size, offsets, numbers, numbers * 10)
        packets.add(chunk, base)
        all_starts.append(base + offsets)
        base += size
        # frames anywhere from the last one up to the stream's end, on packet starts too
        count = int(rng.integers(0, 30))
        frames = np.sort(np.concatenate((rng.integers(found_at, base + 1, size=count), base + offsets[:2])))
        frames = frames[(frames >= found_at) & (frames < base)]
        if len(frames) == 0:
            continue
        starts = np.concatenate(all_starts)
        expected = np.searchsorted(starts, frames, side="right") - 1
        times, numbers_found, files = packets.lookup(frames)
        every_number = np.concatenate([np.arange(len(s), dtype=np.int64) + 100 * k for k, s in enumerate(all_starts)])
        every_file = np.concatenate([np.full(len(s), k % 3, np.int64) for k, s in enumerate(all_starts)])
        assert numbers_found.tolist() == every_number[expected].tolist()
        assert times.tolist() == (every_number[expected] * 10).tolist()
        assert files.tolist() == every_file[expected].tolist()
        found_at = int(frames[-1])
