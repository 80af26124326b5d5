"""Frames out of order, repeated, and frame-count resets, on contacts whose every byte the test states.

A frame is a duplicate only when its (unwrapped) count was already received on its virtual
channel; a late frame is kept, in arrival order, and fills its gap; a count more than
REORDER_WINDOW below the frame before it starts a new sequence (a counter reset).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from groundlink.processing import processor
from groundlink.processing.classify import (
    CORRUPT,
    COUNT_MODULUS,
    DUPLICATE,
    OK,
    REORDER_WINDOW,
    Judge,
    final_missing,
)
from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from groundlink.processing.query import run_query
from groundlink.processing.tables import FRAME_INDEX
from tests.contactgen import (
    CONTACT_A,
    EPOCH,
    Capture,
    Frame,
    contact_file,
    frames,
    packetise,
    raw_dir,
    stream_of,
)

START = EPOCH * 1_000_000
PART = "year=2025/month=12/day=01/satellite=noaa20"
TOP = COUNT_MODULUS - 1  # the last count before the 24-bit wrap


def process(root: Path, sent: list[Frame], piece: int = 1024, order: list[int] | None = None) -> dict[str, Any]:
    """`sent` as one capture, `piece` bytes per datagram, the datagrams captured in `order`."""
    packets = packetise(stream_of(sent), piece, START, order=order)
    Capture(packets).write(contact_file(raw_dir(root / "raw"), CONTACT_A, 1))
    (contact,) = discover(root / "raw", CaptureFormat())
    summary = process_contact(contact, root / "out")
    agree(root / "out", summary)
    return summary


def stream(root: Path, vc: int = 0) -> bytes:
    return (root / "out" / "frames" / PART / CONTACT_A / f"sc157-vc{vc}.cadu").read_bytes()


def index(root: Path) -> list[tuple[int, str, str | None, int]]:
    rows = pq.read_table(root / "out" / "frame_index" / PART / f"{CONTACT_A}.parquet").to_pylist()
    return [(r["frame_count"], r["status"], r["reason"], r["missing_before"]) for r in rows]


def counts(summary: dict[str, Any]) -> tuple[int, int, int, int]:
    return summary["ok_frames"], summary["duplicate_frames"], summary["gaps"], summary["missing_frames"]


def agree(out: Path, summary: dict[str, Any]) -> None:
    """What `groundlink query` counts in the frame index is what the summary says, per channel too."""
    _, by_status = run_query(out, "SELECT status, count(*) FROM frame_index GROUP BY status ORDER BY status")
    expected = [("corrupt", summary["corrupt_frames"]), ("duplicate", summary["duplicate_frames"])]
    expected += [("idle", summary["idle_frames"]), ("ok", summary["ok_frames"])]
    assert by_status == [(s, n) for s, n in expected if n]
    _, by_channel = run_query(
        out,
        "SELECT virtual_channel, count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'duplicate'), "
        "count(*) FILTER (WHERE missing_before > 0), sum(missing_before) FROM frame_index "
        "WHERE status NOT IN ('corrupt', 'idle') GROUP BY virtual_channel ORDER BY 1",
    )
    _, channels = run_query(
        out,
        "SELECT c.virtual_channel, c.frames, c.duplicates, c.gaps, c.missing_frames "
        "FROM contact_summary, unnest(channels) AS t(c) ORDER BY 1",
    )
    assert channels == by_channel
    _, totals = run_query(out, "SELECT ok_frames, duplicate_frames, gaps, missing_frames FROM contact_summary")
    assert totals == [counts(summary)]


def test_swapped_packets_lose_nothing_and_keep_arrival_order(tmp_path: Path) -> None:
    sent = frames(range(40))
    order = [0, 1, 2, 3, 5, 4, *range(6, 10)]  # 4 frames a datagram: 20-23 arrive before 16-19

    summary = process(tmp_path, sent, piece=4096, order=order)

    arrived = [*range(16), *range(20, 24), *range(16, 20), *range(24, 40)]
    assert counts(summary) == (40, 0, 0, 0)
    assert stream(tmp_path) == stream_of(frames(arrived))
    assert index(tmp_path) == [(c, "ok", None, 0) for c in arrived]


def test_a_late_frame_fills_its_gap_and_the_rest_stays_missing(tmp_path: Path) -> None:
    arrived = [*range(10), 12, 13, 10, 14, 15]  # 10 comes late, 11 never

    summary = process(tmp_path, frames(arrived))

    assert counts(summary) == (15, 0, 1, 1)
    assert stream(tmp_path) == stream_of(frames(arrived))
    # missing_before is on the frame after the gap in count order: 12, after 11
    assert [(c, m) for c, _, _, m in index(tmp_path) if m] == [(12, 1)]


def test_a_true_duplicate_is_judged_and_left_out_of_the_stream(tmp_path: Path) -> None:
    summary = process(tmp_path, frames([0, 1, 2, 3, 2, 4]))

    assert counts(summary) == (5, 1, 0, 0)
    assert stream(tmp_path) == stream_of(frames(range(5)))
    assert index(tmp_path)[4] == (2, "duplicate", "repeats frame count 2", 0)


def test_repeats_of_a_late_frame_are_duplicates_after_its_first_arrival(tmp_path: Path) -> None:
    arrived = [0, 1, 3, 4, 2, 2, 5, 3, 2]

    summary = process(tmp_path, frames(arrived))

    assert counts(summary) == (6, 3, 0, 0)
    assert stream(tmp_path) == stream_of(frames([0, 1, 3, 4, 2, 5]))
    duplicate = ["ok"] * 5 + ["duplicate", "ok", "duplicate", "duplicate"]
    assert [(c, s) for c, s, _, _ in index(tmp_path)] == list(zip(arrived, duplicate, strict=True))


def test_a_count_older_than_the_contacts_first_is_kept_and_opens_a_gap(tmp_path: Path) -> None:
    # TOP - 1 is nearest to 6 as -2: seven counts before 5, never received: a late frame
    summary = process(tmp_path, frames([5, 6, TOP - 1, 7]))

    assert counts(summary) == (4, 0, 1, 6)  # -1 .. 4 never received
    assert stream(tmp_path) == stream_of(frames([5, 6, TOP - 1, 7]))
    assert [(c, m) for c, _, _, m in index(tmp_path) if m] == [(5, 6)]


def test_a_reset_starts_a_new_sequence_whose_counts_are_not_duplicates(tmp_path: Path) -> None:
    before = [*range(3000, 3005), *range(3007, 3010)]  # 3005-3006 lost
    after = [*range(3), *range(5, 7)]  # 3-4 lost after the reset
    sent = frames(before + after)

    summary = process(tmp_path, sent)

    assert counts(summary) == (13, 0, 2, 4)
    assert stream(tmp_path) == stream_of(sent)
    rows = index(tmp_path)
    assert rows[8] == (0, "ok", "frame count reset from 3009 to 0: a new sequence", 0)
    assert [(c, m) for c, _, _, m in rows if m] == [(3007, 2), (5, 2)]
    assert [r for r in rows if r[2]] == [rows[8]]


def test_a_reset_to_counts_already_received_loses_no_frame(tmp_path: Path) -> None:
    """The counter restarts at 0 after 0-1999 (REORDER_WINDOW below): 0-9 again are new frames."""
    first, again = frames(range(2000)), frames(range(10))
    summary = process(tmp_path, [*first, *again])

    assert counts(summary) == (2010, 0, 0, 0)
    assert stream(tmp_path) == stream_of([*first, *again])
    assert index(tmp_path)[2000][2] == "frame count reset from 1999 to 0: a new sequence"


def test_a_backward_jump_within_the_window_is_late_frames_not_a_reset(tmp_path: Path) -> None:
    """100-109 then 0-9: never received, so kept; within REORDER_WINDOW, so one sequence whose
    counts 10-99 were never received."""
    assert REORDER_WINDOW >= 109
    sent = frames([*range(100, 110), *range(10)])

    summary = process(tmp_path, sent)

    assert counts(summary) == (20, 0, 1, 90)
    assert stream(tmp_path) == stream_of(sent)
    assert [(c, m) for c, _, r, m in index(tmp_path) if m or r] == [(100, 90)]


def test_a_backward_jump_of_the_window_plus_one_is_a_reset(tmp_path: Path) -> None:
    high = REORDER_WINDOW + 1
    sent = frames([high, 0, 1])

    summary = process(tmp_path, sent)

    assert counts(summary) == (3, 0, 0, 0)
    assert index(tmp_path)[1][2] == f"frame count reset from {high} to 0: a new sequence"
    # one less is late frames of the same sequence
    root = tmp_path / "within"
    assert counts(process(root, frames([high - 1, 0, 1]))) == (3, 0, 1, high - 3)


@pytest.mark.parametrize(
    ("arrived", "expected", "stream_counts"),
    [
        # late frames on both sides of the wrap: nothing missing, nothing repeated
        ([TOP - 2, TOP, 1, TOP - 1, 0, 2, 3], (7, 0, 0, 0), [TOP - 2, TOP, 1, TOP - 1, 0, 2, 3]),
        # TOP - 1 never arrives; 0 arrives late, after 1
        ([TOP - 2, TOP, 1, 0, 2], (5, 0, 1, 1), [TOP - 2, TOP, 1, 0, 2]),
        # the late frames repeated after the wrap: duplicates
        ([TOP - 1, 1, TOP, 0, TOP, 0, 2], (5, 2, 0, 0), [TOP - 1, 1, TOP, 0, 2]),
    ],
)
def test_a_24_bit_wrap_with_late_frames_around_it(
    tmp_path: Path, arrived: list[int], expected: tuple[int, int, int, int], stream_counts: list[int]
) -> None:
    summary = process(tmp_path, frames(arrived))

    assert counts(summary) == expected
    assert stream(tmp_path) == stream_of(frames(stream_counts))


def test_late_frames_across_chunks_give_the_index_its_final_missing_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judged a few frames at a time, the frames after a gap are written before the late frames
    that fill it arrive: the index is rewritten with what the whole contact shows, the same
    as judged in one chunk."""
    vc0 = [*range(20), *range(25, 60), 21, 22, 23, *range(60, 80), 20]  # 24 never arrives
    vc5 = [*range(100, 130), 140, *range(131, 140), 130]
    sent = [f for pair in zip(frames(vc0[:41]), frames(vc5, vc=5), strict=True) for f in pair] + frames(vc0[41:])
    whole = process(tmp_path / "whole", sent)
    monkeypatch.setattr(processor, "CHUNK_BYTES", 3000)  # about three frames a chunk

    chunked = process(tmp_path / "chunked", sent)

    assert counts(chunked) == counts(whole) == (79 + 41, 0, 1, 1)
    assert index(tmp_path / "chunked") == index(tmp_path / "whole")
    for root in (tmp_path / "whole", tmp_path / "chunked"):  # written once, and rewritten: the catalog's types
        written = pq.read_schema(root / "out" / "frame_index" / PART / f"{CONTACT_A}.parquet")
        # no Arrow schema stored (readers take plain strings), only the products format
        assert written.equals(FRAME_INDEX.schema) and written.metadata == {b"groundlink.products_format": b"2"}
    assert [(c, m) for c, _, _, m in index(tmp_path / "chunked") if m] == [(25, 1)]
    assert stream(tmp_path / "chunked") == stream(tmp_path / "whole") == stream_of(frames(vc0))
    assert stream(tmp_path / "chunked", 5) == stream_of(frames(vc5, vc=5))


def test_idle_frames_across_chunks_are_left_out_of_the_rewritten_index_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index rewritten after a late frame judges the contact's frames again: idle frames
    (virtual channel 63) stay out of that judgement too, their counts making no gap."""
    vc0 = [*range(20), *range(25, 40), 21, 22, 23, 24, 20]
    idle = frames([0, 900, 5, 5, 70000], vc=63)
    sent = [*frames(vc0[:10]), *idle[:2], *frames(vc0[10:30]), *idle[2:], *frames(vc0[30:])]
    whole = process(tmp_path / "whole", sent)
    monkeypatch.setattr(processor, "CHUNK_BYTES", 3000)

    chunked = process(tmp_path / "chunked", sent)

    assert index(tmp_path / "chunked") == index(tmp_path / "whole")
    assert counts(chunked) == counts(whole) == (40, 0, 0, 0)
    assert chunked["idle_frames"] == 5
    assert [(c, s, m) for c, s, _, m in index(tmp_path / "chunked") if s == "idle"] == [
        (0, "idle", 0),
        (900, "idle", 0),
        (5, "idle", 0),
        (5, "idle", 0),
        (70000, "idle", 0),
    ]


def test_duplicates_and_resets_across_chunks_match_one_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arrived = [*range(5000, 5010), 5003, 5012, 5011, *range(3), 5, 4, 2, 7, *range(2000, 2003), 9, 8]
    whole = process(tmp_path / "whole", frames(arrived))
    monkeypatch.setattr(processor, "CHUNK_BYTES", 2500)

    chunked = process(tmp_path / "chunked", frames(arrived))

    assert index(tmp_path / "chunked") == index(tmp_path / "whole")
    # sequences: 5000-5012 (5003 again, 5010 lost); 0-2002 (2 again; 3, 6 and 8-1999 lost: 2000
    # is a forward gap after 7); 9, 8 (1993 below 2002, more than the window: a reset)
    assert counts(chunked) == counts(whole) == (len(arrived) - 2, 2, 1 + 3, 1 + 1 + 1 + 1992)
    reasons = [r for _, _, r, _ in index(tmp_path / "whole") if r]
    assert reasons == [
        "repeats frame count 5003",
        "frame count reset from 5011 to 0: a new sequence",
        "repeats frame count 2",
        "frame count reset from 2002 to 9: a new sequence",
    ]


def _rule_frame_by_frame(keys: list[int], raw: list[int], corrupt: list[bool]) -> tuple[list[int], list[int]]:
    """The documented rule, one frame at a time: (status, missing_before) of every frame."""
    last: dict[int, list[int]] = {}  # channel: [raw count, wraps, sequence]
    received: dict[tuple[int, int], set[int]] = {}
    status, where = [CORRUPT if bad else OK for bad in corrupt], [(0, 0, 0)] * len(raw)
    for i, (key, count) in enumerate(zip(keys, raw, strict=True)):
        if corrupt[i]:
            continue
        state = last.setdefault(key, [count, 0, 0])
        step = count - state[0]
        wrap = int(step < -COUNT_MODULUS // 2) - int(step > COUNT_MODULUS // 2)
        state[0], state[1] = count, state[1] + wrap
        state[2] += step + wrap * COUNT_MODULUS < -REORDER_WINDOW
        unwrapped, seen = count + state[1] * COUNT_MODULUS, received.setdefault((key, state[2]), set())
        status[i] = DUPLICATE if unwrapped in seen else OK
        seen.add(unwrapped)
        where[i] = (key, state[2], unwrapped)
    missing = []
    for i, (key, sequence, unwrapped) in enumerate(where):
        below = [u for u in received.get((key, sequence), set()) if u < unwrapped]
        missing.append(unwrapped - max(below) - 1 if status[i] == OK and below else 0)
    return status, missing


@pytest.mark.parametrize("seed", range(4))
def test_judging_in_chunks_follows_the_rule_frame_by_frame(seed: int) -> None:
    """Random counts on two channels (repeats, late frames, gaps, resets, wraps, corrupt
    frames), judged in random chunks: statuses and totals as the rule read frame by frame,
    `missing_before` too once the whole contact is known (`final_missing`), and already in
    the chunks when no frame came below an earlier chunk's counts."""
    rng = np.random.default_rng(seed)
    for _ in range(150):
        n = int(rng.integers(1, 60))
        walk = np.cumsum(rng.choice([1, 1, 1, 2, 0, -1, -3, 5], size=n))
        jumps = np.where(rng.random(n) < 0.05, rng.choice([-3000, -1025, -1024, 2000, 9_000_000], size=n), 0)
        start = int(rng.choice([0, COUNT_MODULUS - 20, 5000, int(rng.integers(0, COUNT_MODULUS))]))
        raw = np.mod(start + walk + np.cumsum(jumps), COUNT_MODULUS).astype(np.int64)
        # sequence keys (classify.sequence_keys): channels 0 and 5, and channel 0's replayed frames
        keys = rng.choice([(157 * 64) << 2, ((157 * 64) << 2) | 2, (157 * 64 + 5) << 2], size=n).astype(np.int64)
        corrupt = rng.random(n) < 0.05
        status, missing = _rule_frame_by_frame(keys.tolist(), raw.tolist(), corrupt.tolist())

        judge = Judge(CaptureFormat())
        cuts = sorted({0, n, *rng.integers(0, n + 1, size=int(rng.integers(0, 5))).tolist()})
        judged, provisional = [], []
        for lo, hi in itertools.pairwise(cuts):
            part = np.where(corrupt[lo:hi], CORRUPT, OK).astype(np.int8)
            provisional.append(judge.sequences(keys[lo:hi], raw[lo:hi], part, [None] * (hi - lo)))
            judged.append(part)

        assert np.concatenate(judged).tolist() == status
        assert final_missing(keys, raw, corrupt).tolist() == missing
        assert judge.stale or np.concatenate(provisional).tolist() == missing
        totals = {sc * 64 + vc: t for (sc, vc), t in judge.totals.items()}  # a channel's sequences together
        for key, t in totals.items():
            mine = [i for i in range(n) if keys[i] >> 2 == key and status[i] != CORRUPT]
            assert t.frames == sum(status[i] == OK for i in mine)
            assert t.duplicates == sum(status[i] == DUPLICATE for i in mine)
            assert (t.gaps, t.missing_frames) == (sum(missing[i] > 0 for i in mine), sum(missing[i] for i in mine))
        assert sorted(totals) == sorted({int(k) >> 2 for k, bad in zip(keys, corrupt, strict=True) if not bad})


def test_a_recorders_playback_counts_apart_from_the_real_time_frames(tmp_path: Path, monkeypatch) -> None:
    """Playback (the replay flag, CCSDS 732.0-B §4.1.2.5.2) interleaved with real-time frames on
    one virtual channel was judged as one sequence: each playback frame a reset and each
    real-time frame a gap of 50,000 (2,450,000 frames missing that never were), or, replaying
    the counts it repeats, the playback dropped as duplicates. Each counts apart; the stream
    holds both as they came; the index rewritten after late frames judges them apart too."""
    real_time = frames(range(100_000, 100_050))
    for name, counts_played in (("older", range(50_000, 50_050)), ("same", range(100_000, 100_050))):
        playback = [Frame(c, replay=True) for c in counts_played]
        sent = [f for pair in zip(real_time, playback, strict=True) for f in pair]
        sent[10], sent[30] = sent[30], sent[10]  # a late real-time frame: the chunked run rewrites the index
        with monkeypatch.context() as patch:
            whole = process(tmp_path / name / "whole", sent)
            assert counts(whole) == (100, 0, 0, 0), name
            assert stream(tmp_path / name / "whole") == stream_of(sent)
            patch.setattr(processor, "CHUNK_BYTES", 3000)
            chunked = process(tmp_path / name / "chunked", sent)
        assert counts(chunked) == counts(whole) and index(tmp_path / name / "chunked") == index(
            tmp_path / name / "whole"
        )
        assert [m for *_, m in index(tmp_path / name / "chunked")] == [0] * 100


def test_counts_with_the_frame_count_cycle_in_use_run_to_2_to_the_28(tmp_path: Path) -> None:
    """With the usage flag set, the cycle's 4 bits extend the count (CCSDS 732.0-B §4.1.2.5.5):
    a jump of 9 million frames was read as a reset with nothing missing, and the count's own
    wrap at 2^24 is the cycle's next value, not a wrap."""
    wrap = 1 << 24
    extended = [*range(10), *range(9_000_000, 9_000_005), *range(wrap - 3, wrap + 3)]  # the cycle 0, then 1
    summary = process(tmp_path, [Frame(c, cycle=c >> 24) for c in extended])
    assert (summary["ok_frames"], summary["gaps"], summary["missing_frames"]) == (21, 2, 8_999_990 + 7_777_208)
    assert [reason for _, _, reason, _ in index(tmp_path) if reason] == []


def test_a_reason_names_a_count_as_the_index_holds_it_with_its_cycle_and_replay() -> None:
    """A duplicate with the cycle in use was said to repeat frame count 50331659, a count no row
    of the index holds (its `frame_count` is 11, of cycle 3)."""
    from groundlink.processing.classify import sequence_keys

    judge = Judge(CaptureFormat())
    counts = np.array([5000, 5001, 5001, 5, 7, 7], dtype=np.int64)
    signalling = np.array([0x43, 0x43, 0x43, 0x43, 0x80, 0x80], dtype=np.int64)  # cycle 3 in use; replayed
    keys, extended = sequence_keys(np.full(6, 157), np.zeros(6, dtype=np.int64), counts, signalling)
    reasons: list[str | None] = [None] * 6
    judge.sequences(keys, extended, np.zeros(6, dtype=np.int8), reasons)
    assert reasons == [
        None,
        None,
        "repeats frame count 5001 of cycle 3",
        "frame count reset from 5001 of cycle 3 to 5 of cycle 3: a new sequence",
        None,
        "repeats frame count 7 (replayed)",
    ]
