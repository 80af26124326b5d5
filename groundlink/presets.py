"""Named demodulation/decode presets for public direct-broadcast downlinks.

A preset turns a downlink (centre frequency) into the exact JSON that AWS
Ground Station's `AntennaDownlinkDemodDecodeConfig` takes, and names the
demodulation the retired Azure Orbital contact profile used. Values follow
aws-samples/aws-groundstation-s3-data-delivery (`cfn/jpss1-gs-to-s3.yml`),
awslabs/aws-groundstation-eos-pipeline and Microsoft Learn (docs/facts.md §3).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from .inputs import DuplicateKey, strict_json

BITS_PER_SYMBOL = {"QPSK": 2, "OQPSK": 2}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    modulation: str  # QPSK | OQPSK
    symbol_rate_msps: float
    carrier_range_khz: float
    rolloff: float
    viterbi: bool
    egress_node: str
    azure_demodulation: str  # named demodulation of the legacy Azure Orbital contact profile
    source: str
    center_frequency_mhz: float  # the satellite's own downlink: the preset is that signal
    # whether the link's CADUs carry the CCSDS pseudo-randomizer, which the decode graph above
    # does not take off (it ends at UNCODED_FRAMES_EGRESS after Viterbi and NRZ-M): True, False,
    # or None where no source at hand says (docs/processing.md, "What onboarding decides")
    pseudo_randomized: bool | None = None

    @property
    def occupied_bandwidth_mhz(self) -> float:
        """A root-raised-cosine filtered signal occupies symbol rate x (1 + roll-off) (CCSDS 413.0-G,
        Bandwidth-Efficient Modulations): 15 Msps at roll-off 0.5 needs 22.5 MHz."""
        return self.symbol_rate_msps * (1 + self.rolloff)

    @property
    def information_rate_mbps(self) -> float:
        """What the decoded stream carries: 2 bits per QPSK/OQPSK symbol, halved by a rate-1/2
        Viterbi code (the decode graph's `codeRate: ONE_HALF`)."""
        return self.symbol_rate_msps * BITS_PER_SYMBOL[self.modulation] * (0.5 if self.viterbi else 1.0)

    def demodulation_json(self, center_frequency_mhz: float) -> str:
        """Byte for byte the reference templates' JSON (whole numbers without `.0`)."""
        key = self.modulation.lower()
        doc = {
            "type": self.modulation,
            key: {
                "carrierFrequencyRecovery": {
                    "centerFrequency": {"value": _number(center_frequency_mhz), "units": "MHz"},
                    "range": {"value": _number(self.carrier_range_khz), "units": "kHz"},
                },
                "symbolTimingRecovery": {
                    "symbolRate": {"value": _number(self.symbol_rate_msps), "units": "Msps"},
                    "range": {"value": 0.75, "units": "ksps"},
                    "matchedFilter": {"type": "ROOT_RAISED_COSINE", "rolloffFactor": self.rolloff},
                },
            },
        }
        return json.dumps(doc, separators=(",", ":"))

    def decode_json(self) -> str:
        """With Viterbi (JPSS-1 template): I/Q -> recombiner -> Viterbi -> NRZ-M -> egress.
        Without (OQPSK, eos-pipeline Aqua template): NRZ-M on each branch, then the recombiner."""
        nodes: dict[str, dict[str, Any]] = {
            "I-Ingress": {"type": "CODED_SYMBOLS_INGRESS", "codedSymbolsIngress": {"source": "I"}},
            "Q-Ingress": {"type": "CODED_SYMBOLS_INGRESS", "codedSymbolsIngress": {"source": "Q"}},
        }
        if not self.viterbi:
            nodes.update(
                {
                    "I-NrzmDecoder": {"type": "NRZ_M_DECODER"},
                    "Q-NrzmDecoder": {"type": "NRZ_M_DECODER"},
                    "IQ-Recombiner": {"type": "IQ_RECOMBINER"},
                    self.egress_node: {"type": "UNCODED_FRAMES_EGRESS"},
                }
            )
            pairs = [
                ("I-Ingress", "I-NrzmDecoder"),
                ("Q-Ingress", "Q-NrzmDecoder"),
                ("I-NrzmDecoder", "IQ-Recombiner"),
                ("Q-NrzmDecoder", "IQ-Recombiner"),
                ("IQ-Recombiner", self.egress_node),
            ]
            edges = [{"from": a, "to": b} for a, b in pairs]
            return json.dumps({"edges": edges, "nodeConfigs": nodes}, separators=(",", ":"))
        nodes["IQ-Recombiner"] = {"type": "IQ_RECOMBINER"}
        nodes["CcsdsViterbiDecoder"] = {
            "type": "CCSDS_171_133_VITERBI_DECODER",
            "ccsds171133ViterbiDecoder": {"codeRate": "ONE_HALF"},
        }
        nodes["NrzmDecoder"] = {"type": "NRZ_M_DECODER"}
        chain = ["IQ-Recombiner", "CcsdsViterbiDecoder", "NrzmDecoder"]
        nodes[self.egress_node] = {"type": "UNCODED_FRAMES_EGRESS"}
        chain.append(self.egress_node)
        edges = [{"from": "I-Ingress", "to": "IQ-Recombiner"}, {"from": "Q-Ingress", "to": "IQ-Recombiner"}]
        edges += [{"from": a, "to": b} for a, b in itertools.pairwise(chain)]
        return json.dumps({"edges": edges, "nodeConfigs": nodes}, separators=(",", ":"))


# Suomi NPP's and NOAA-20's HRD CADUs are pseudo-randomized: SatDump's pipeline for both
# (pipelines/JPSS.json, "npp_hrd", "Suomi NPP / JPSS-1 HRD") takes the sequence off after NRZ-M
# ("derandomize": true), and AWS's S3 data delivery sample hands the frames to RT-STPS.
PRESETS: dict[str, Preset] = {
    "jpss1_hrd": Preset(
        name="jpss1_hrd",
        description="NOAA-20 (JPSS-1) HRD: QPSK 15 Msps, CCSDS 171/133 Viterbi r1/2, NRZ-M",
        modulation="QPSK",
        symbol_rate_msps=15.0,
        carrier_range_khz=250.0,
        rolloff=0.5,
        viterbi=True,
        egress_node="UncodedFramesEgress",
        azure_demodulation="jpss-1_direct_broadcast",
        source="aws-samples/aws-groundstation-s3-data-delivery cfn/jpss1-gs-to-s3.yml",
        center_frequency_mhz=7812.0,
        pseudo_randomized=True,
    ),
    "snpp_hrd": Preset(
        name="snpp_hrd",
        description="Suomi NPP HRD: as NOAA-20",
        modulation="QPSK",
        symbol_rate_msps=15.0,
        carrier_range_khz=250.0,
        rolloff=0.5,
        viterbi=True,
        egress_node="UncodedFramesEgress",
        azure_demodulation="snpp_direct_broadcast",
        source="AWS Ground Station user guide; Microsoft Learn 'modem chain'",
        center_frequency_mhz=7812.0,
        pseudo_randomized=True,
    ),
    "aqua_db": Preset(
        name="aqua_db",
        description="Aqua direct broadcast: OQPSK 7.5 Msps, NRZ-M, no Viterbi",
        modulation="OQPSK",
        symbol_rate_msps=7.5,
        carrier_range_khz=250.0,
        rolloff=0.5,
        viterbi=False,
        egress_node="UncodedFramesEgress",
        azure_demodulation="aqua_direct_broadcast",
        source="awslabs/aws-groundstation-eos-pipeline; Microsoft Learn Aqua tutorial",
        center_frequency_mhz=8160.0,
    ),
}


JSON_MAX_DEPTH = 32  # the reference graphs are 5 levels deep


def _depth(doc: object) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, todo = 0, [(doc, 1)]
    while todo:
        value, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth <= JSON_MAX_DEPTH:
            children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
            todo.extend((child, depth + 1) for child in children)
    return deepest


def json_shape_problem(text: str, kind: str) -> str | None:
    """Why `text` is not a usable demodulation (`kind` "demodulation") or decode ("decode")
    document, or None. AWS Ground Station takes an object: a demodulation names its "type";
    a decode graph has "nodeConfigs" (named nodes, each with a "type") and "edges" joining them."""
    try:
        doc = strict_json(text)  # as AWS reads it: no NaN, no key given twice
    except RecursionError:
        return "is nested too deeply"
    except DuplicateKey as exc:
        return f"gives {exc.where} twice in one object; keep one (JSON readers keep the last silently)"
    except json.JSONDecodeError as exc:
        return f"is not valid JSON ({exc.msg})"
    except ValueError as exc:  # NaN or Infinity, a number past what JSON holds
        return f"is not valid JSON ({exc})"
    if not isinstance(doc, dict):
        return f"must be a JSON object, not {type(doc).__name__ if doc is not None else 'null'}"
    if _depth(doc) > JSON_MAX_DEPTH:
        return f"is nested deeper than {JSON_MAX_DEPTH} levels"
    if kind == "demodulation":
        return None if isinstance(doc.get("type"), str) else 'needs a "type" string (QPSK, OQPSK, ...)'
    nodes = doc.get("nodeConfigs")
    if not isinstance(nodes, dict) or not nodes:
        return 'needs "nodeConfigs": an object of named nodes'
    for name, node in nodes.items():
        if not isinstance(node, dict) or not isinstance(node.get("type"), str):
            return f'nodeConfigs.{name[:40]}: needs an object with a "type" string'
    edges = doc.get("edges")
    if not isinstance(edges, list):
        return 'needs "edges": a list of {"from": node, "to": node}'
    for i, edge in enumerate(edges):
        ends = [edge.get(end) for end in ("from", "to")] if isinstance(edge, dict) else [None]
        if not all(isinstance(end, str) and end in nodes for end in ends):
            return f'edges[{i}]: needs "from" and "to" naming nodes of nodeConfigs'
    return None


def egress_node_of(decode_json: str) -> str | None:
    """The egress node of a decode graph: the dataflow edge source suffix."""
    doc = json.loads(decode_json)
    for name, node in (doc.get("nodeConfigs") or {}).items():
        if str(node.get("type", "")).endswith("_EGRESS"):
            return str(name)
    return None
