"""The payload of every plain datagram of a capture, found with array operations.

A data-plane capture is almost entirely one shape of record: Ethernet (or raw
IP), an IPv4 header without options, UDP, and one VITA-49 packet filling the
datagram. For records of that shape the offsets of every header are fixed, so
their fields are read for all records at once and the payload's position is
computed rather than parsed. Every other record (VLAN tags, IPv6, IP options
or fragments (reassembled there), several VITA-49 packets in one datagram, a header too short to
hold them) is marked for dpkt, which reads it exactly as before; the two paths
meet in record order. The rules below are dpkt's own for the plain shape
(docs/processing.md, "How frames are found"), so both paths give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .config import CaptureFormat
from .gather import uints_at
from .records import I64, Records

ETHERNET_HEADER = 14
IPV4_PLAIN = 0x45  # version 4, header of 5 words: no options
IPV4_HEADER = 20
UDP_HEADER = 8
PROTO_UDP = 17


def pad_bytes(class_word: Any) -> Any:
    """The padding that ends a VITA-49 payload, in whole bytes: the Pad Bit Count, bits 31-27 of
    the class id's first word (VITA 49.2; MathWorks, "VITA 49 Packet Format": PadBitCount), added
    to fill the last 32-bit word; a payload of 1022 bytes carries 16 pad bits. An int or an array."""
    return (class_word >> 27) // 8


@dataclass
class Plain:
    """Per record: whether it is read here (`plain`) and, if so, what it holds."""

    plain: npt.NDArray[np.bool_]  # read here; the others go to dpkt
    udp: npt.NDArray[np.bool_]  # plain and a datagram of the downlink (port filter passed)
    truncated: npt.NDArray[np.bool_]  # captured shorter than its UDP length
    payload_at: I64  # file offset of the VITA-49 payload (plain records with a payload)
    payload_length: I64  # 0: no payload
    port: I64  # the UDP destination port of each plain record (0 for the others)
    udp_at: I64  # file offset of the UDP header (plain records)
    udp_size: I64  # bytes of the datagram captured, from its UDP header on (plain records)


def read_plain(records: Records, link_header: int, ethertype_at: int | None, fmt: CaptureFormat) -> Plain:
    """Classify every record and locate the payload of the plain ones: `link_header` bytes
    before the IPv4 header, an EtherType at `ethertype_at` (None: raw IP)."""
    data, starts, lengths = records.data, records.starts, records.lengths
    n = len(starts)
    ip = link_header
    shaped = lengths >= ip + IPV4_HEADER + UDP_HEADER + 4
    at = starts[shaped]  # record data of the records long enough to be read here
    length = lengths[shaped]
    ok = np.ones(len(at), dtype=bool)
    if ethertype_at is not None:
        ok &= (data[at + ethertype_at] == 0x08) & (data[at + ethertype_at + 1] == 0x00)  # IPv4, no VLAN tag
    ok &= data[at + ip] == IPV4_PLAIN
    ok &= data[at + ip + 9] == PROTO_UDP
    ok &= ((data[at + ip + 6] & 0x3F) == 0) & (data[at + ip + 7] == 0)  # no fragment (more fragments, offset)
    ip_length = uints_at(data, at + ip + 2, 2)
    ok &= ip_length >= IPV4_HEADER + UDP_HEADER + 4  # 0 (segmentation offload) goes to dpkt
    # dpkt cuts the IP payload at the IP length; the capture may hold less (a truncated packet)
    size = np.minimum(ip_length, length - ip) - IPV4_HEADER - UDP_HEADER
    udp_at = at + ip + IPV4_HEADER
    port_ok = np.isin(uints_at(data, udp_at + 2, 2), sorted(fmt.udp_ports)) if fmt.udp_ports else np.ones_like(ok)
    truncated = size < uints_at(data, udp_at + 4, 2) - UDP_HEADER
    word = uints_at(data, udp_at + UDP_HEADER, 4)
    vrt_length = (word & 0xFFFF) * 4
    # one VITA-49 packet that fills the datagram (or runs past its end); a size of 0 or a
    # second packet in the datagram goes to dpkt, which walks or rejects it
    ok &= ~port_ok | ((vrt_length > 0) & (vrt_length >= size - 3))
    kind = word >> 28
    header = (
        4
        + np.where((kind == 1) | (kind == 3), 4, 0)
        + np.where(word & (1 << 27), 8, 0)  # class id
        + np.where((word >> 22) & 3, 4, 0)  # integer timestamp
        + np.where((word >> 20) & 3, 8, 0)  # fractional timestamp
    )
    end = np.minimum(vrt_length - np.where(word & (1 << 26), 4, 0), size)  # before the trailer
    # and its padding; the class id word read where it would stand (kept inside the buffer: a
    # record too short to hold it has no payload anyway, its header reaching past its end)
    class_at = np.minimum(udp_at + UDP_HEADER + np.where((kind == 1) | (kind == 3), 8, 4), len(data) - 4)
    end = end - np.where(word & (1 << 27), pad_bytes(uints_at(data, class_at, 4)), 0)
    carries = np.isin(kind, sorted(fmt.vrt_data_types)) & (header < end) & port_ok

    plain = np.zeros(n, dtype=bool)
    plain[shaped] = ok
    udp = np.zeros(n, dtype=bool)
    udp[shaped] = ok & port_ok
    cut = np.zeros(n, dtype=bool)
    cut[shaped] = ok & port_ok & truncated
    payload_at = np.zeros(n, dtype=np.int64)
    payload_at[shaped] = udp_at + UDP_HEADER + header
    payload_length = np.zeros(n, dtype=np.int64)
    payload_length[shaped] = np.where(ok & carries, end - header, 0)
    port = np.zeros(n, dtype=np.int64)
    port[shaped] = np.where(ok, uints_at(data, udp_at + 2, 2), 0)
    udp_start = np.zeros(n, dtype=np.int64)
    udp_start[shaped] = udp_at
    udp_size = np.zeros(n, dtype=np.int64)
    udp_size[shaped] = UDP_HEADER + size
    return Plain(plain, udp, cut, payload_at, payload_length, port, udp_start, udp_size)
