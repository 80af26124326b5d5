"""The edit matrix: every tunable of the spec model, edited on every example spec.

A tunable is every leaf field of MissionSpec except the identity names (mission,
satellite and downlink names, whose change renames by design) and `version`. Each gets
the first candidate edit the spec model accepts on that spec; candidates come from the
field's type (flip a bool, another Literal value, a larger or smaller number) or, for
strings and lists whose valid values follow a rule, from EDITS below.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from groundlink.presets import PRESETS
from groundlink.spec import MissionSpec, SpecError, spec_from_data

from .conftest import SPECS, spec_data

Path = tuple[str | int, ...]
Edit = Callable[[dict], None]
IDENTITIES = {("mission", "name"), ("satellites", 0, "name"), ("satellites", 0, "downlinks", 0, "name")}
SPEC_ORDER = ("noaa20.yaml", "partner.yaml", "aqua-legacy.yaml", "constellation.yaml")


def _unwrap(annotation: typing.Any) -> typing.Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def tunables(model: type[BaseModel] = MissionSpec, prefix: Path = ()) -> Iterator[tuple[Path, typing.Any]]:
    """(path, field) of every tunable leaf; list items as index 0."""
    for name, field in model.model_fields.items():
        inner = _unwrap(field.annotation)
        element = typing.get_args(inner)[0] if typing.get_origin(inner) is list else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from tunables(inner, (*prefix, name))
        elif isinstance(element, type) and issubclass(element, BaseModel):
            yield from tunables(element, (*prefix, name, 0))
        elif (*prefix, name) not in IDENTITIES and (*prefix, name) != ("version",):
            yield (*prefix, name), field


def label(path: Path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _get(data: dict, path: Path) -> typing.Any:
    target: typing.Any = data
    for part in path:
        target = target[part]
    return target


def _setter(path: Path, value: typing.Any) -> Edit:
    def edit(data: dict) -> None:
        target = data
        for part in path[:-1]:
            if isinstance(part, str) and part not in target:
                target[part] = {}
            target = target[part]
        target[path[-1]] = copy.deepcopy(value)

    return edit


def _explicit_json(data: dict) -> None:
    link = data["satellites"][0]["downlinks"][0]
    preset = PRESETS[link.pop("preset")]
    link["demodulation_json"] = preset.demodulation_json(link["center_frequency_mhz"])
    link["decode_json"] = preset.decode_json()


def _retune(data: dict) -> None:
    """A preset pins its frequency: retuning a preset downlink spells its JSON out at the new one."""
    link = data["satellites"][0]["downlinks"][0]
    link["center_frequency_mhz"] += 1
    preset = PRESETS[link.pop("preset")] if "preset" in link else None
    if preset is not None:
        link["demodulation_json"] = preset.demodulation_json(link["center_frequency_mhz"])
        link["decode_json"] = preset.decode_json()


def _to_partner(data: dict) -> None:
    data["ground_segment"]["provider"] = "partner"
    data["ground_segment"]["partner"] = {"name": "ksat_lite"}


def _to_managed(data: dict) -> None:
    data["ground_segment"]["provider"] = "managed"
    data["ground_segment"].pop("partner", None)


def _orbital_network(data: dict) -> None:
    data["clouds"]["azure"].setdefault("orbital", {}).update(
        vnet_cidr="10.9.0.0/16", gateway_subnet_cidr="10.9.1.0/24", ip_address="10.9.2.10"
    )


def _no_telemetry_stream(data: dict) -> None:
    """The Orbital resource provider's grant is on the telemetry hub: it goes with the stream."""
    data.setdefault("analytics", {})["telemetry_stream"] = False
    data.get("clouds", {}).get("azure", {}).get("orbital", {}).pop("resource_provider_object_id", None)


def _geo(data: dict) -> None:
    data.setdefault("storage", {})["redundancy"] = "geo"
    data.setdefault("clouds", {}).setdefault("aws", {})["replica_region"] = "us-east-1"


def _geo_read(data: dict) -> None:
    _geo(data)
    data["storage"]["geo_read_access"] = True


def _no_catalog(data: dict) -> None:
    data.setdefault("analytics", {}).update(catalog=False, serverless_sql=False)


def _stream_only(data: dict) -> None:
    """A stream lands no objects for the processor to read: the spec asks for processing off."""
    data["delivery"] = {"object_store": False, "stream": True}
    data.setdefault("processing", {})["enabled"] = False


def _digif(data: dict) -> None:
    """DigIF samples: 2.2804 MB a second per MHz sampled, so a 30 MHz contact of 10 minutes is 41 GB,
    more than a function's /tmp or a Container Apps replica's 8 GiB holds (the spec refuses it):
    1 MHz, 1.4 GB in 10 minutes, which either mode holds beside the satellite's other downlinks."""
    link = data["satellites"][0]["downlinks"][0]
    for key in ("preset", "demodulation_json", "decode_json"):
        link.pop(key, None)
    link["delivery"] = "digif"
    link["bandwidth_mhz"] = min(link["bandwidth_mhz"], 1)


def _digif_rate(data: dict) -> None:
    """A DigIF downlink's own stream rate, as onboarding gives it: 20 Mbit/s, 1.5 GB in 10 minutes
    (the disk the processor has holds it, as `_digif`'s)."""
    _digif(data)
    data["satellites"][0]["downlinks"][0]["digif_mbps"] = 20


def _orbital_subnet(field: str) -> Edit:
    def edit(data: dict) -> None:
        import ipaddress

        if "vnet_cidr" not in data["clouds"]["azure"].get("orbital", {}):
            _orbital_network(data)  # a subnet needs the network it belongs to
        orbital = data["clouds"]["azure"]["orbital"]
        vnet = ipaddress.IPv4Network(orbital["vnet_cidr"])
        if field == "gateway_subnet_cidr":
            orbital[field] = str(list(vnet.subnets(new_prefix=24))[4])
        else:
            orbital[field] = str(vnet.network_address + 20)

    return edit


def _renumber(data: dict) -> None:
    satellite = data["satellites"][0]
    satellite["norad_id"] += 1
    satellite.pop("tle", None)  # the TLE names the old number


def _tle_checksum(line: str) -> str:
    """The last digit of a TLE line: digits summed, '-' counting 1, modulo 10."""
    return str(sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10)


def _with_checksum(line: str) -> str:
    return line[:68] + _tle_checksum(line)


def _renumber_with_tle(data: dict) -> None:
    """A legacy spec needs its TLE: the new number goes into both lines."""
    satellite = data["satellites"][0]
    satellite["norad_id"] += 1
    number = f"{satellite['norad_id']:05d}"
    satellite["tle"] = [_with_checksum(line[:2] + number + line[7:]) for line in satellite["tle"]]


def _newer_tle(data: dict) -> None:
    """The same orbit one revolution later (line 2's revolution number)."""
    line1, line2 = data["satellites"][0]["tle"]
    revolution = int(line2[63:68]) + 1
    data["satellites"][0]["tle"] = [line1, _with_checksum(f"{line2[:63]}{revolution:5d}")]


def _as_partner(field: str, value: typing.Any) -> Edit:
    """A partner field on a spec whose ground segment is managed: the switch to that partner."""

    def edit(data: dict) -> None:
        data["ground_segment"]["provider"] = "partner"
        data["ground_segment"]["partner"] = {"name": "ksat_lite", field: value}

    return edit


def _with_partner_account(field: str, value: typing.Any) -> Edit:
    """A partner field that only applies with the partner's AWS account: set with one (the
    partner's, where the spec names none, or a managed spec's switch to a partner)."""

    def edit(data: dict) -> None:
        if data["ground_segment"].get("provider") != "partner":
            _as_partner(field, value)(data)
        data["ground_segment"]["partner"].setdefault("aws_account_id", "210987654321")
        data["ground_segment"]["partner"][field] = value

    return edit


def _partner_name(data: dict) -> None:
    segment = data["ground_segment"]
    if segment.get("provider") == "partner":
        segment["partner"]["name"] = "viasat_rte" if segment["partner"]["name"] != "viasat_rte" else "ksat_lite"
    else:
        _as_partner("name", "viasat_rte")(data)


def _private_networks(data: dict) -> None:
    """Both clouds' mission networks renumbered, on a private network, where each cloud has one."""
    data.setdefault("security", {})["network"] = "private"
    data["clouds"].setdefault("aws", {})["network_cidr"] = "10.80.0.0/16"
    data["clouds"].setdefault("azure", {})["network_cidr"] = "10.90.0.0/24"


def _private_flow_logs(data: dict) -> None:
    """Flow logs kept 30 days, on a private network: they log the AWS VPC's traffic, which a
    public stack without a live stream or container jobs does not have."""
    data.setdefault("security", {}).update(network="private", flow_log_retention_days=30)


# Edits by field name, for values a type alone does not suggest.
def _container_job(image: str) -> Edit:
    """The processor as a container job, which needs its image."""

    def edit(data: dict) -> None:
        data.setdefault("processing", {}).update(mode="container_job", container_image=image)

    return edit


def _container_size(data: dict) -> None:
    """A larger container: vCPU and memory move together (2 GB per vCPU). A container's size is a
    container job's (mode function refuses it, as it refuses container_image); 4 vCPU has the
    8 GiB of disk the constellation's contacts need on Azure."""
    _container_job("ghcr.io/example/groundlink:1")(data)
    data["processing"].update(container_vcpu=4.0, container_memory_gb=8.0)


EDITS: dict[str, list[Edit | typing.Any]] = {
    "owner": ["ops team"],
    "tags": [{"team": "ground-ops"}],
    "tle": [None, _newer_tle],
    "norad_id": [_renumber, _renumber_with_tle],
    "demodulation_json": [_explicit_json],
    "decode_json": [_explicit_json],
    "preset": ["snpp_hrd", "jpss1_hrd"],
    "center_frequency_mhz": [_retune],
    "provider": [_to_partner, _to_managed],
    "name": [_partner_name],  # the partner's (identity names are no tunables)
    "products_ratio": [0.5],  # unset by default: what the processor writes
    "price_per_minute_usd": [2.5, _as_partner("price_per_minute_usd", 2.5)],
    "aws_account_id": ["210987654321", _as_partner("aws_account_id", "210987654321")],
    "aws_external_id": ["groundlink-partner-7", _with_partner_account("aws_external_id", "groundlink-partner-7")],
    "azure_principal_object_id": [
        "0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        _as_partner("azure_principal_object_id", "0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
    ],
    "source_addresses": [["203.0.113.7"], _as_partner("source_addresses", ["203.0.113.7"])],
    "sql_clients": [["203.0.113.0/24"]],
    "alert_emails": [["ops@example.com", "oncall@example.com"]],
    "thresholds_percent": [[50, 90, 100]],
    "region": ["us-east-2", "us-west-2"],
    "location": ["eastus", "westus2", "swedencentral"],
    "vnet_cidr": [_orbital_network],
    "network_cidr": ["172.20.0.0/16", _private_networks],
    "global_name_seed": ["contoso-prod"],
    "flow_log_retention_days": [_private_flow_logs],
    "gateway_subnet_cidr": [_orbital_subnet("gateway_subnet_cidr")],
    "ip_address": [_orbital_subnet("ip_address")],
    "replica_region": [_geo],
    "redundancy": [_geo],
    "geo_read_access": [_geo_read],
    "catalog": [_no_catalog],
    "object_store": [_stream_only],
    "delivery": [_digif],
    "digif_mbps": [_digif_rate],
    "resource_provider_object_id": ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e"],
    "telemetry_stream": [_no_telemetry_stream],
    "after_days": [{"storage.tiering": [{"after_days": 45, "tier": "cool"}]}],
    "tier": [{"storage.tiering": [{"after_days": 60, "tier": "cold"}]}],
    "mode": [_container_job("ghcr.io/example/groundlink:1")],
    "container_image": [_container_job("ghcr.io/example/groundlink:2")],
    "container_vcpu": [_container_size],
    "container_memory_gb": [_container_size],
    "spacecraft_ids": [[157]],
    "udp_ports": [[55888]],
}


def _typed_candidates(annotation: typing.Any, current: typing.Any) -> list[typing.Any]:
    inner = _unwrap(annotation)
    if typing.get_origin(inner) is typing.Literal:
        return [v for v in typing.get_args(inner) if v != current]
    if isinstance(current, bool):
        return [not current]
    if isinstance(current, int):
        return [current + 1, current * 2, max(current // 2, 1), current - 1]
    if isinstance(current, float):
        return [current + 1, current * 2, current / 2, round(current * 0.9, 3)]
    return []


def _edits_for(path: Path, field: typing.Any, data: dict) -> Iterator[Edit]:
    try:
        current = _get(data, path)
    except (KeyError, IndexError, TypeError):  # not in the spec: the model's default
        current = field.get_default(call_default_factory=True)
    for candidate in EDITS.get(str(path[-1]), []) + _typed_candidates(field.annotation, current):
        if callable(candidate):
            yield candidate
        elif isinstance(candidate, dict) and all(isinstance(k, str) and "." in k for k in candidate):
            for dotted, value in candidate.items():
                yield _setter(tuple(dotted.split(".")), value)
        elif candidate != current:
            yield _setter(path, candidate)


def _valid(data: dict) -> bool:
    try:
        spec_from_data(data)
    except SpecError:
        return False
    return True


@dataclass(frozen=True)
class EditCase:
    spec: str
    tunables: tuple[str, ...]
    data: dict


def single_edits(spec: str, skip: frozenset[str] = frozenset()) -> Iterator[EditCase]:
    """Every tunable's first valid edit on `spec` (tunables with none are left out), except
    the tunables labelled in `skip`."""
    base = spec_data(spec)
    for path, field in tunables():
        if label(path) in skip:
            continue
        for edit in _edits_for(path, field, base):
            data = copy.deepcopy(base)
            try:
                edit(data)
            except (KeyError, IndexError, TypeError):
                continue
            if data != base and _valid(data):
                yield EditCase(spec, (label(path),), data)
                break


def combined_edits(cases: list[EditCase], batch: int = 25) -> list[EditCase]:
    """The single edits of one spec folded into few specs (greedily, while the spec model
    still accepts the combination), so that every tunable is planned at a fraction of the cost."""
    out: list[EditCase] = []
    for case in cases:
        base = spec_data(case.spec)
        for i, done in enumerate(out):
            if done.spec != case.spec or len(done.tunables) >= batch:
                continue
            merged = copy.deepcopy(done.data)
            _merge(merged, base, case.data)
            if _valid(merged):
                out[i] = EditCase(case.spec, (*done.tunables, *case.tunables), merged)
                break
        else:
            out.append(case)
    return out


def _merge(into: dict, base: dict, edited: dict) -> None:
    """Apply to `into` what `edited` changed relative to `base`, key by key."""
    for key in set(base) | set(edited):
        if key not in edited:
            into.pop(key, None)
        elif key not in base or not isinstance(edited[key], dict) or not isinstance(base[key], dict):
            if base.get(key) != edited[key]:
                into[key] = copy.deepcopy(edited[key])
        else:
            into.setdefault(key, {})
            if isinstance(into[key], dict):
                _merge(into[key], base[key], edited[key])


def example_specs() -> list[str]:
    present = {p.name for p in SPECS.glob("*.yaml")}
    return [s for s in SPEC_ORDER if s in present] + sorted(present - set(SPEC_ORDER))


def stack_inputs(data: dict, cloud: str) -> tuple[typing.Any, dict[str, str]]:
    """All a cloud's stack is built from: its blueprint and its provider config."""
    from groundlink.blueprint import build_blueprint

    spec = spec_from_data(data)
    return build_blueprint(spec).for_cloud(cloud), spec.provider_config(cloud)


def reaches_stack(case: EditCase, cloud: str) -> bool:
    """Whether the edit changes anything `cloud`'s stack is built from."""
    return stack_inputs(case.data, cloud) != stack_inputs(spec_data(case.spec), cloud)
