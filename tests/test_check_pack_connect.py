"""Connecting to the pack leaves nothing behind that slows its stop.

grpc.channel_ready_future starts a thread that polls the channel's state in 0.2 s steps, and
closing the channel waits for that thread: every check paid 0.2 s per pack process at its end.
The first Analyzer call waits for the connection instead."""

from __future__ import annotations

import threading

from groundlink.check import PackProcess
from groundlink.check.runner import PACK_DIR


def test_connecting_to_a_pack_starts_no_thread_and_the_pack_stops():
    process = PackProcess(PACK_DIR, "groundlink", "noaa20-aws")
    with process:
        assert process._port_ready.wait(60)  # the port line is read: the readers run already
        before = set(threading.enumerate())
        stub = process.connect(timeout=60)
        assert stub is process.stub
        assert [t.name for t in set(threading.enumerate()) - before] == []
    assert not process.running
