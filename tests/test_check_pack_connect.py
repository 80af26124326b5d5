"""Connecting to the pack leaves nothing behind that slows its stop.

grpc.channel_ready_future starts a thread that polls the channel's state in 0.2 s steps, and
closing the channel waits for that thread: every check paid 0.2 s per pack process at its end.
The first Analyzer call waits for the connection instead."""

from __future__ import annotations

import grpc
import pytest

from groundlink.check import PackProcess
from groundlink.check.runner import PACK_DIR


def _recording_subscriptions(patch: pytest.MonkeyPatch, through: bool = True) -> list[object]:
    """The callbacks given to any channel's `subscribe`, which starts gRPC's state polling
    (`through`: the subscription then made as asked)."""
    subscribed: list[object] = []
    channel_class = type(grpc.insecure_channel("127.0.0.1:1"))
    watching = channel_class.subscribe

    def subscribe(self, callback, try_to_connect=False):
        subscribed.append(callback)
        return watching(self, callback, try_to_connect) if through else None

    patch.setattr(channel_class, "subscribe", subscribe)
    return subscribed


def test_connecting_to_a_pack_watches_no_channel_state_and_the_pack_stops(monkeypatch):
    """Counted where the polling starts, the channel's `subscribe` (what channel_ready_future
    calls), not by the threads alive after: a call's own short-lived thread (gRPC's channel
    spin, `Thread-N (_run)`) was still alive under load once, and failed a full run."""
    subscribed = _recording_subscriptions(monkeypatch)
    process = PackProcess(PACK_DIR, "groundlink", "noaa20-aws")
    with process:
        assert process._port_ready.wait(60)
        stub = process.connect(timeout=60)
        assert stub is process.stub
        assert subscribed == []
    assert not process.running


def test_the_watch_above_sees_channel_ready_future(monkeypatch):
    """The check above can fail: waiting with channel_ready_future subscribes to the channel."""
    subscribed = _recording_subscriptions(monkeypatch, through=False)  # no poller left to outlive the channel
    channel = grpc.insecure_channel("127.0.0.1:1")
    grpc.channel_ready_future(channel).cancel()
    channel.close()
    assert subscribed
