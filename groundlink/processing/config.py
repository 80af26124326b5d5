"""What the processor assumes about a contact's capture files.

AWS Ground Station documents the data-plane formats only by name and gives
their details during satellite onboarding (docs/processing.md has the sources).
Everything here that onboarding may change is a field with a sourced default,
so a mission can set it without touching the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CCSDS 131.0-B attached sync marker for uncoded and Reed-Solomon coded frames.
ASM = bytes.fromhex("1ACFFC1D")
# The longest transfer frame a CCSDS space data link protocol defines: USLP's, whose Frame
# Length field (16 bits) holds the frame's length in octets minus one (CCSDS 732.1-B-3). TM and
# AOS frames are shorter still.
LONGEST_FRAME = 65_536
# A contact id as AWS Ground Station writes it (a UUID), anywhere in a capture file's name.
CONTACT_ID_PATTERN = r"(?P<contact_id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
# A contact id or satellite name as a products path holds it: one path component of a Hive
# partition (`satellite=<name>`, `<contact id>.parquet`), never `.`, `..` or a nested path.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
NAME_WORDS = "1-128 letters, digits, '.', '_' and '-', starting with a letter or digit"
# The names a capture file is taken by, in any case, here and by the clouds' runtimes alike.
CAPTURE_SUFFIXES = (".pcap", ".pcapng")


def name_problem(value: str) -> str | None:
    """Why `value` cannot name a contact or satellite in the products' paths; None when it can."""
    if re.fullmatch(NAME_PATTERN, value):
        return None
    return f"{value!r} cannot be part of a products path ({NAME_WORDS})"


AOS_VERSION = 1  # the transfer frame version number of AOS, binary 01 (CCSDS 732.0-B)
# The largest AOS spacecraft id: 10 bits since issue 5 of CCSDS 732.0-B (8 bits in the header's
# second field, the 2 most significant in bits 42-43, the signalling field's former spares,
# which "missions implementing ... issue 4 or earlier set ... to '00'").
SPACECRAFT_ID_MAX = (1 << 10) - 1


def pseudo_random_sequence(length: int) -> bytes:
    """The first `length` bytes of the CCSDS pseudo-randomizer's sequence (CCSDS 131.0-B,
    "Pseudo-Randomizer"): h(x) = x^8 + x^7 + x^5 + x^3 + 1, the generator set to all ones at
    the first bit after each sync marker, a period of 255 bits; it begins FF 48 0E C0 9A. A
    sender adds it to every bit of the frame (the marker excepted), and adding it again takes
    it away."""
    register = [1] * 8
    bits = []
    for _ in range(8 * length):
        bits.append(register[0])
        register = [*register[1:], register[0] ^ register[3] ^ register[5] ^ register[7]]
    return bytes(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8))


@dataclass(frozen=True)
class CaptureFormat:
    """The onboarding details of one downlink's delivered data."""

    # Channel access data unit: sync marker + transfer frame (+ Reed-Solomon check symbols).
    cadu_length: int = 1024
    sync_marker: bytes = ASM
    # AOS transfer frame version number (CCSDS 732.0-B: binary 01), the only header decoded: a
    # TM frame (version 00, CCSDS 132.0-B) has another layout (a 10-bit spacecraft id, 8-bit counts).
    frame_version: int = 1
    # Spacecraft ids the downlink may carry; a frame naming another one is corrupt. Empty: any.
    spacecraft_ids: frozenset[int] = frozenset()
    # VITA-49 packet types that carry payload: signal data and extension data, each with or
    # without a stream id (0-3). Context packets (4-5) carry no payload and are skipped.
    vrt_data_types: frozenset[int] = frozenset({0, 1, 2, 3})
    # UDP destination ports that carry the downlink. Empty: every UDP packet.
    udp_ports: frozenset[int] = frozenset()
    # Whether the sender applied the CCSDS pseudo-randomizer to each CADU after its sync marker
    # (CCSDS 131.0-B): a mission's link decides it, and a decode that stops at uncoded frames
    # (AWS Ground Station's UNCODED_FRAMES_EGRESS) leaves it on. Read without taking it away,
    # every header is noise and every frame corrupt; the processor says so (version 2 or 3).
    pseudo_randomized: bool = False
    contact_id_pattern: str = CONTACT_ID_PATTERN

    def __post_init__(self) -> None:
        header = len(self.sync_marker) + 6  # the AOS primary header is 6 bytes
        if not self.sync_marker:
            raise ValueError("sync_marker: must not be empty")
        if self.cadu_length < header:
            raise ValueError(f"cadu_length: {self.cadu_length} is shorter than sync marker + primary header ({header})")
        longest = len(self.sync_marker) + LONGEST_FRAME
        if self.cadu_length > longest:
            raise ValueError(
                f"cadu_length: {self.cadu_length} is longer than sync marker + the longest CCSDS transfer frame "
                f"({longest}; USLP, CCSDS 732.1-B-3: a 16-bit frame length, {LONGEST_FRAME} octets)"
            )
        if self.frame_version != AOS_VERSION:
            raise ValueError(
                f"frame_version: {self.frame_version} is not decoded; allowed: {AOS_VERSION} (AOS, CCSDS 732.0-B: "
                "a TM frame's header, version 0, has other fields)"
            )
        # The AOS primary header holds a 10-bit spacecraft id (CCSDS 732.0-B-5: 8 bits, and 2 most
        # significant in the signalling field, 00 on earlier issues): an id past 1023 could
        # never match, and every frame would be judged corrupt.
        for spacecraft in sorted(self.spacecraft_ids):
            if not 0 <= spacecraft <= SPACECRAFT_ID_MAX:
                raise ValueError(
                    f"spacecraft_ids: {spacecraft} is not an AOS spacecraft id (0-{SPACECRAFT_ID_MAX}, 10 bits)"
                )
        # A UDP destination port is 16 bits (RFC 768); 0 is reserved, never a destination.
        for port in sorted(self.udp_ports):
            if not 1 <= port <= 65535:
                raise ValueError(f"udp_ports: {port} is not a UDP port (1-65535)")
        if "contact_id" not in re.compile(self.contact_id_pattern).groupindex:
            raise ValueError("contact_id_pattern: needs a (?P<contact_id>...) group")
