"""Named demodulation/decode presets for public direct-broadcast downlinks.

A preset turns a downlink (centre frequency) into the exact JSON that AWS
Ground Station's `AntennaDownlinkDemodDecodeConfig` takes, and names the
demodulation the retired Azure Orbital contact profile used. Values follow
aws-samples/aws-groundstation-s3-data-delivery (`cfn/jpss1-gs-to-s3.yml`),
awslabs/aws-groundstation-eos-pipeline and Microsoft Learn (REFERENCE.md §3).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass


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
        nodes: dict[str, dict] = {
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
    ),
}


def egress_node_of(decode_json: str) -> str | None:
    """The egress node of a decode graph: the dataflow edge source suffix."""
    doc = json.loads(decode_json)
    for name, node in (doc.get("nodeConfigs") or {}).items():
        if str(node.get("type", "")).endswith("_EGRESS"):
            return name
    return None
