"""Captures made to stall or crash the processor (a partner writes whatever it likes into the raw
store, and the cloud function reads it): each is read in time linear in its size, or refused in
one line naming the file, and a bad contact stops no other. The inputs are small; what each
test holds is the work done per record, not a time."""

from __future__ import annotations

import struct
from pathlib import Path

import dpkt
import pytest

from groundlink.cli import main
from groundlink.processing.capture import Fragments
from groundlink.processing.records import Records
from tests.contactgen import (
    CONTACT_A,
    CONTACT_B,
    EPOCH,
    Capture,
    contact_file,
    datagram,
    frames,
    packetise,
    raw_dir,
    stream_of,
    vita49,
    write_records,
)

START = EPOCH * 1_000_000


def _process(raw: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["process", str(raw), "--out", str(out)])
    return code, capsys.readouterr().err.splitlines()


def test_a_window_of_records_that_are_not_plain_datagrams_reads_their_offsets_once(tmp_path, monkeypatch):
    """Each record that is no plain datagram (other traffic, a fragment) read the window's record
    offsets anew, computed over the whole window: 128 MB of small TCP records took minutes."""
    reads = []
    starts = Records.starts

    def counted(self: Records):
        reads.append(len(self.heads))
        return starts.fget(self)

    monkeypatch.setattr(Records, "starts", property(counted))
    tcp = b"\x04" * 6 + b"\x02" * 6 + b"\x08\x00" + bytes(dpkt.ip.IP(p=dpkt.ip.IP_PROTO_TCP, data=b"\0" * 20))
    records = [(START + k, tcp) for k in range(2000)]
    records.append((START + 5000, datagram(vita49(stream_of(frames(range(8)))))))
    write_records(raw_dir(tmp_path / "raw") / f"noaa20_{CONTACT_A}_1.pcap", records)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    assert 0 < len(reads) <= 4  # once per window, not once per record


def test_a_train_of_fragments_with_a_hole_keeps_its_bytes_as_merged_ranges_not_piece_by_piece():
    """The last fragment first, then 8-byte fragments in order with one hole: the datagram was
    walked piece by piece at every fragment (8 million steps a train of 4,095). Its covered bytes
    are kept merged: one range here, whatever the number of fragments, and the hole, once
    filled, completes it."""
    fragments = Fragments()
    key = (4, b"a", b"b", 7)
    assert fragments.add(key, 4096 * 8, False, b"e" * 8) is None  # the end, first
    for k in range(1, 4096):
        assert fragments.add(key, k * 8, True, bytes([k % 256]) * 8) is None  # piece 0 missing
    assert len(fragments.covered[key]) == 1 and fragments.covered[key][0] == [8, 4097 * 8]
    whole = fragments.add(key, 0, True, b"s" * 8)
    assert whole is not None and len(whole) == 4097 * 8 and whole[:8] == b"s" * 8 and whole[-8:] == b"e" * 8


def test_ipv6_extension_headers_are_walked_here_never_by_dpkt(tmp_path, monkeypatch, capsys):
    """dpkt copies the rest of an IPv6 packet twice for each extension header: a record of 8 MB
    of 8-byte headers took minutes. A packet whose next header is not UDP is walked here, its
    datagram read all the same."""
    calls = []
    real = dpkt.ip6.IP6.unpack

    def watched(self, buf):
        calls.append(buf[6])
        return real(self, buf)

    monkeypatch.setattr(dpkt.ip6.IP6, "unpack", watched)
    payload = stream_of(frames(range(4)))
    udp = dpkt.udp.UDP(sport=50000, dport=55888, data=vita49(payload))
    udp.ulen = 8 + len(udp.data)
    chain = bytes([60, 0, 1, 4, 0, 0, 0, 0]) * 999 + bytes([17, 0, 1, 4, 0, 0, 0, 0])  # 1,000 options headers
    body = chain + bytes(udp)
    ip6 = struct.pack(">IHBB16s16s", 6 << 28, len(body), 60, 64, b"\x20" + b"\0" * 15, b"\x20" + b"\1" * 15)
    frame = b"\x04" * 6 + b"\x02" * 6 + b"\x86\xdd" + ip6 + body
    write_records(raw_dir(tmp_path / "raw") / f"noaa20_{CONTACT_A}_1.pcap", [(START, frame)])
    code, err = _process(tmp_path / "raw", tmp_path / "out", capsys)
    assert code == 0, err
    assert 60 not in calls  # dpkt never saw a packet whose first extension header it would copy for
    (stream,) = (tmp_path / "out" / "frames").rglob("*.cadu")
    assert stream.read_bytes() == payload


def _block(kind: int, body: bytes) -> bytes:
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def _pcapng(idb_options: bytes, packet: bytes, epb_options: bytes = b"") -> bytes:
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = _block(1, struct.pack("<HHI", 1, 0, 65535) + idb_options)
    pad = b"\0" * (-len(packet) % 4)
    time = START
    epb = _block(
        6,
        struct.pack("<IIIII", 0, time >> 32, time & 0xFFFFFFFF, len(packet), len(packet)) + packet + pad + epb_options,
    )
    return shb + idb + epb


def test_a_packet_block_s_options_are_never_parsed_and_its_packet_is_read(tmp_path, capsys, monkeypatch):
    """dpkt copies the rest of a block's options for each option: an Enhanced Packet Block of
    512 KB of empty options took 26 s. Nothing reads a packet's options, so they are left out."""
    payload = stream_of(frames(range(4)))
    options = struct.pack("<HH", 2, 0) * 20_000 + struct.pack("<HH", 0, 0)
    path = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1).with_suffix(".pcapng")
    path.parent.mkdir(parents=True)
    path.write_bytes(_pcapng(b"", datagram(vita49(payload)), options))
    counts: list[int] = []
    real = dpkt.pcapng._PcapngBlock._do_unpack_options

    def watched(self, buf, *args):
        real(self, buf, *args)
        counts.append(len(self.opts))

    monkeypatch.setattr(dpkt.pcapng._PcapngBlock, "_do_unpack_options", watched)
    code, err = _process(tmp_path / "raw", tmp_path / "out", capsys)
    assert code == 0, err
    assert counts and max(counts) <= 1  # the section's and the interface's end marker, never 20,001 options
    (stream,) = (tmp_path / "out" / "frames").rglob("*.cadu")
    assert stream.read_bytes() == payload


@pytest.mark.parametrize("where", ["interface", "section"])
def test_a_description_block_of_more_than_64_kib_is_refused_in_one_line(tmp_path, capsys, where):
    """A megabyte of 4-byte options in a section header or an interface description took minutes
    and hundreds of MB in dpkt; a real one holds a few names and numbers."""
    options = struct.pack("<HH", 2, 0) * 20_000 + struct.pack("<HH", 0, 0)
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + (options if where == "section" else b""))
    idb = _block(1, struct.pack("<HHI", 1, 0, 65535) + (options if where == "interface" else b""))
    path = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1).with_suffix(".pcapng")
    path.parent.mkdir(parents=True)
    path.write_bytes(shb + idb)
    code, err = _process(tmp_path / "raw", tmp_path / "out", capsys)
    at = 0 if where == "section" else len(shb)
    size = len(shb) if where == "section" else len(idb)
    assert code == 2
    assert err[0] == f"{path}: block at byte {at} is malformed ({size} bytes of description, more than 65536)"


def test_headers_nested_past_the_interpreter_s_depth_fail_their_contact_in_one_line(tmp_path, capsys):
    """dpkt parses each nested Cisco ISL header a call deeper: 1,100 of them raised a
    RecursionError traceback, and the other contact of the run was never written."""
    isl = bytes.fromhex("01000c000000") + b"\x02" * 6 + b"\x00\x00" + bytes.fromhex("aaaa0300000c") + b"\x00" * 6
    write_records(raw_dir(tmp_path / "raw") / f"noaa20_{CONTACT_A}_1.pcap", [(START, isl * 1100)])
    good = Capture(packetise(stream_of(frames(range(3))), 1000, START))
    good.write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_B, 1))
    code, err = _process(tmp_path / "raw", tmp_path / "out", capsys)
    assert code == 2
    assert next(line for line in err if CONTACT_A in line).endswith(
        "record 1 nests more headers than can be read; not read"
    )
    assert list((tmp_path / "out" / "contact_summary").rglob(f"{CONTACT_B}.parquet"))


def test_a_raw_key_holding_a_nul_fails_its_contact_naming_the_key():
    from groundlink.runtime.delivery import _unsafe_segment

    assert _unsafe_segment("partner/year=2025/month=12/day=01/satellite=noaa20/pass-1/a\x00b.pcap") == (
        "a NUL character"
    )


@pytest.mark.parametrize(("link", "ihl"), [(1, 4), (101, 4), (113, 4), (101, 0), (276, 3)])
def test_a_stray_ipv4_packet_of_a_header_length_under_five_words_is_passed_over_on_every_link(
    tmp_path, capsys, link, ihl
):
    """dpkt refuses an IPv4 header length under 5 words: on Ethernet its parser keeps the bytes
    and the packet was passed over, on raw IP and Linux cooked captures (`tcpdump -i any`, which
    sees other hosts' junk before the kernel drops it) the error stopped the whole contact."""
    from tests.contactgen import ip_udp

    sent = [bytes(ip_udp(p.payload)) for p in packetise(stream_of(frames(range(8))), 1024, START)]
    bad = bytes([0x40 | ihl]) + sent[0][1:]
    wrap = {
        1: lambda b: b"\x04" * 6 + b"\x02" * 6 + b"\x08\x00" + b,
        101: lambda b: b,
        113: lambda b: struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 8, 0x0800) + b,
        276: lambda b: struct.pack(">HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, b"\x02" * 8) + b,
    }[link]
    records = [(START + i * 1000, wrap(b)) for i, b in enumerate([*sent[:4], bad, *sent[4:]])]
    write_records(raw_dir(tmp_path / "raw") / f"noaa20_{CONTACT_A}_0001.pcap", records, link=link)
    code, err = _process(tmp_path / "raw", tmp_path / "out", capsys)
    assert code == 0, err
    import pyarrow.parquet as pq

    (summary,) = (tmp_path / "out" / "contact_summary").rglob(f"{CONTACT_A}.parquet")
    row = pq.read_table(summary).to_pylist()[0]
    assert (row["frames"], row["ok_frames"], row["gaps"]) == (8, 8, 0)


def _fmt():
    from groundlink.processing.config import CaptureFormat

    return CaptureFormat()


def test_sync_markers_a_few_bytes_apart_are_taken_a_window_at_a_time_not_a_search_each(monkeypatch):
    """A marker every 5 bytes is a short (corrupt) frame every 5 bytes: each was a turn of the
    synchroniser's loop, with its searches and, before it, a check of every predicted marker to
    the buffer's end: 2 MiB took 30 s and 384 MB, a 64 MiB read of them about 16 minutes, past
    Lambda's longest timeout. The frames are the same; the searches are one per window."""
    import numpy as np

    from groundlink.processing import frames as sync

    searches = []
    find = sync.find_marker
    monkeypatch.setattr(sync, "find_marker", lambda *a: searches.append(1) or find(*a))
    data = np.frombuffer((bytes.fromhex("1ACFFC1D") + b"\0") * 100_000, dtype=np.uint8)
    found, keep = sync.synchronise(data, _fmt(), final=True)
    starts, lengths = found.arrays()
    assert keep == len(data) and found.count == len(starts) == 99_796
    # the last frame, whole and followed by nothing, is taken whole, as before
    assert (np.diff(starts) == 5).all() and (lengths[:-1] == 5).all() and lengths[-1] == 1024
    assert len(searches) < 1000  # was about 200,000


def test_a_whole_frame_then_a_short_one_over_and_over_costs_its_own_frames_not_the_buffer_s(monkeypatch):
    """Every search that found a marker checked each predicted marker to the buffer's end: a
    stream alternating a whole frame and a short one cost its frames times the buffer's CADUs."""
    import numpy as np

    from groundlink.processing import frames as sync

    checked = []
    markers_at = sync.markers_at
    monkeypatch.setattr(sync, "markers_at", lambda d, m, p: checked.append(len(p)) or markers_at(d, m, p))
    pair = b"".join(f.bytes() for f in frames([0])) + bytes.fromhex("1ACFFC1D") + b"\0" * 16
    data = np.frombuffer(pair * 2000, dtype=np.uint8)
    found, _ = sync.synchronise(data, _fmt(), final=True)
    _, lengths = found.arrays()
    assert (lengths[::2] == 1024).all() and (lengths[1::2] == 20).all() and found.count == 4000
    assert sum(checked) < 20 * found.count  # was about 2000 x 2000 / 2


def test_a_buffer_of_more_frames_than_a_call_takes_gives_the_same_products_in_batches(tmp_path, monkeypatch, capsys):
    """At most MAX_FRAMES_PER_CALL frames are held at once (a 64 MiB read of markers 5 bytes apart
    was 13 million frames, gigabytes of index rows); the rest of the bytes go to the next call."""
    from groundlink.processing import frames as sync

    stream = (
        stream_of(frames(range(300))) + (bytes.fromhex("1ACFFC1D") + b"\0") * 500 + stream_of(frames(range(300, 400)))
    )
    Capture(packetise(stream, 4096, START)).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    assert _process(tmp_path / "raw", tmp_path / "whole", capsys)[0] == 0
    monkeypatch.setattr(sync, "MAX_FRAMES_PER_CALL", 7)
    assert _process(tmp_path / "raw", tmp_path / "batched", capsys)[0] == 0
    whole = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*") if p.is_file())
    batched = sorted(p.relative_to(tmp_path / "batched") for p in (tmp_path / "batched").rglob("*") if p.is_file())
    assert whole == batched and whole
    for name in whole:
        if name.suffix != ".parquet":  # the index's row groups follow the batches: compared as rows
            assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "batched" / name).read_bytes(), name
    import pyarrow.parquet as pq

    for name in (n for n in whole if n.suffix == ".parquet"):
        assert pq.read_table(tmp_path / "whole" / name).equals(pq.read_table(tmp_path / "batched" / name)), name


@pytest.mark.parametrize("every_frame", [True, False], ids=["every-frame", "one-frame"])
def test_a_marker_in_a_frame_s_data_starts_no_frame_while_the_grid_goes_on(tmp_path, capsys, every_frame):
    """A frame whose data holds the marker's bytes at a fixed place (a relayed CADU), then one bit
    wrong in the next frame's marker: the search from inside the frame took the data's marker for
    a resync, and every later frame sat on a grid half a frame off, lost without a gap counted,
    while a stream of made-up frames was written (CCSDS 131.0-B §8: expect a marker at every
    codeblock). Now the damaged frame alone is lost, counted as missing."""
    from tests.contactgen import Frame

    cadus = []
    for f in frames(range(60)):
        cadu = bytearray(f.bytes())
        if every_frame or f.count == 9:
            cadu[500:510] = Frame(f.count + 5000, vc=7).bytes()[:10]
        cadus.append(cadu)
    cadus[10][2] ^= 0x10
    Capture(packetise(b"".join(map(bytes, cadus)), 4096, START)).write(
        contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    )
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert "59 frames (59 ok, 0 duplicate, 0 corrupt, 0 idle), 1 gap (1 frame missing)" in out
    assert "--cadu-length" not in err  # the length is right
    assert not list((tmp_path / "out").rglob("*vc7*"))  # no channel made of halves of frames


def test_a_clean_run_of_tiny_cadus_is_cut_at_the_cap_too(monkeypatch):
    """The cap was checked between runs only: a clean stream of CADUs of a few bytes came back
    whole from one call, millions of frames, as many index rows at once."""
    import numpy as np

    from groundlink.processing import frames as sync
    from groundlink.processing.config import CaptureFormat

    monkeypatch.setattr(sync, "MAX_FRAMES_PER_CALL", 3)
    fmt = CaptureFormat(cadu_length=12)
    data = np.frombuffer((bytes.fromhex("1ACFFC1D") + bytes(8)) * 10, dtype=np.uint8)
    batches, at = [], 0
    while True:
        found, keep = sync.synchronise(data[at:], fmt, final=True)
        starts, _ = found.arrays()
        assert found.count <= 3
        batches += (at + starts).tolist()
        at += keep
        if not found.more:
            break
    assert batches == list(range(0, 120, 12)) and at == len(data)
