"""AWS Ground Station: values the service would reject at deploy time, caught
at preview (bands, bandwidths, timings, names, delivery bucket), and the
autotrack setting that silently degrades contacts."""

from __future__ import annotations

import re
from typing import Any

from . import limits as L
from . import tokens as T
from .props import FREQUENCY_UNITS, UNKNOWN, as_list, get, is_number, missing, to_mhz
from .registry import resource_rule

DOWNLINK_KINDS = ("antennaDownlinkConfig", "antennaDownlinkDemodDecodeConfig")
# An uplink's spectrum has no bandwidth (UplinkSpectrumConfig: centerFrequency and polarization).
BANDWIDTH_MHZ = {
    "antennaDownlinkConfig": L.DIGIF_BANDWIDTH_MHZ,
    "antennaDownlinkDemodDecodeConfig": L.DEMOD_DECODE_BANDWIDTH_MHZ,
}


def _fmt(value: float) -> str:
    return f"{value:g}"


def _show(value: Any) -> str:
    """A number as the user wrote it (the Analyzer protocol turns 180 into 180.0), anything else as is."""
    return _fmt(value) if is_number(value) else str(value)


def _quantity(raw: Any, mhz: float | None) -> str:
    """A {value, units} frequency in MHz, or as given when its units are not a frequency's."""
    return f"{_fmt(mhz)} MHz" if mhz is not None else f"{_show(get(raw, 'value'))} {get(raw, 'units')}"


def _bad_units(raw: Any) -> str | None:
    """The units of a {value, units} quantity when Ground Station does not take them, else None."""
    units = get(raw, "units")
    return None if units is None or units in FREQUENCY_UNITS else _show(units)


def _bands(bands: tuple[tuple[float, float], ...]) -> str:
    return " or ".join(f"{_fmt(lo)}-{_fmt(hi)} MHz" for lo, hi in bands)


@resource_rule(
    "aws-gs-frequency",
    area="aws-groundstation",
    severity="high",
    enforcement="mandatory",
    types=T.GS_CONFIG,
    controls=("AWS Ground Station API: SpectrumConfig.CenterFrequency",),
    description="Ground Station centre frequencies lie in the bands the antennas serve "
    "(downlink 2200-2300 or 7750-8400 MHz, uplink 2025-2120 MHz).",
    remediation="Use the satellite's licensed centre frequency inside a supported band, with units MHz/GHz/kHz.",
)
def frequency(args: Any, report: Any) -> None:
    bands = dict.fromkeys(DOWNLINK_KINDS, L.DOWNLINK_BANDS_MHZ)
    bands["antennaUplinkConfig"] = (L.UPLINK_BAND_MHZ,)
    for kind, raw, mhz in _spectrum(args, "centerFrequency", bands):
        if (units := _bad_units(raw)) is not None:
            report(f"{kind} centre frequency units {units} are not {', '.join(FREQUENCY_UNITS)}")
        elif mhz is None or not any(lo <= mhz <= hi for lo, hi in bands[kind]):
            report(f"{kind} centre frequency {_quantity(raw, mhz)} is outside {_bands(bands[kind])}")


def _spectrum(args: Any, field: str, kinds: Any):
    """(config kind, raw value, MHz or None) for each known spectrum `field` of the config."""
    config = get(args.props, "configData", default={})
    for kind in kinds:
        raw = get(config, kind, "spectrumConfig", field)
        mhz = to_mhz(raw)
        if raw is not None and mhz is not UNKNOWN:
            yield kind, raw, mhz


@resource_rule(
    "aws-gs-bandwidth",
    area="aws-groundstation",
    severity="high",
    enforcement="mandatory",
    types=T.GS_CONFIG,
    controls=("AWS Ground Station API: FrequencyBandwidth",),
    description="Ground Station bandwidths stay within the limit of their config kind "
    "(demod/decode 125 kHz-650 MHz; DigIF downlink 10 kHz-54 MHz).",
    remediation="Lower the bandwidth, or switch a wide DigIF downlink to demod/decode (or to the wideband agent path).",
)
def bandwidth(args: Any, report: Any) -> None:
    for kind, raw, mhz in _spectrum(args, "bandwidth", BANDWIDTH_MHZ):
        lo, hi = BANDWIDTH_MHZ[kind]
        if (units := _bad_units(raw)) is not None:
            report(f"{kind} bandwidth units {units} are not {', '.join(FREQUENCY_UNITS)}")
        elif mhz is None or not lo <= mhz <= hi:
            report(f"{kind} bandwidth {_quantity(raw, mhz)} is outside {_fmt(lo)}-{_fmt(hi)} MHz")


@resource_rule(
    "aws-gs-config-name-and-size",
    area="aws-groundstation",
    severity="medium",
    enforcement="mandatory",
    types=T.GS_CONFIG,
    controls=("CloudFormation AWS::GroundStation::Config schema",),
    description="Ground Station config names match ^[ a-zA-Z0-9_:-]{1,256}$ and demod/decode JSON stays within 8192 characters.",
    remediation="Rename the config with letters, digits, space, '_', ':' or '-'; shorten the demodulation/decode JSON.",
)
def config_name_and_size(args: Any, report: Any) -> None:
    name = get(args.props, "name")
    if isinstance(name, str) and not re.fullmatch(L.CONFIG_NAME_PATTERN, name):  # `$` would take a final newline
        report(f"config name {name!r} does not match {L.CONFIG_NAME_PATTERN}")
    demod_decode = get(args.props, "configData", "antennaDownlinkDemodDecodeConfig", default={})
    for part in ("demodulationConfig", "decodeConfig"):
        text = get(demod_decode, part, "unvalidatedJson")
        if isinstance(text, str) and len(text) > L.DEMOD_DECODE_JSON_MAX_CHARS:
            report(f"{part} JSON has {len(text)} characters (limit {L.DEMOD_DECODE_JSON_MAX_CHARS})")


@resource_rule(
    "aws-gs-delivery-bucket",
    area="aws-groundstation",
    severity="high",
    enforcement="mandatory",
    types=T.GS_CONFIG,
    controls=("AWS Ground Station user guide: S3 data delivery",),
    description="S3 recording configs deliver into a bucket whose name begins with 'aws-groundstation', under a "
    "key prefix without a leading '/' and at most 900 characters.",
    remediation="Name the delivery bucket aws-groundstation-<mission>-... (bucket_prefix works) and use a "
    "prefix such as year={year}/month={month}/day={day}/satellite={satellite_id}.",
)
def delivery_bucket(args: Any, report: Any) -> None:
    recording = get(args.props, "configData", "s3RecordingConfig")
    if not recording:
        return
    arn = get(recording, "bucketArn")
    if isinstance(arn, str):
        bucket = arn.split(":::", 1)[-1]
        if not bucket.startswith(L.DELIVERY_BUCKET_PREFIX):
            report(f"delivery bucket {bucket!r} does not begin with {L.DELIVERY_BUCKET_PREFIX!r}")
    prefix = get(recording, "prefix")
    if isinstance(prefix, str):
        if prefix.startswith("/"):
            report(f"key prefix {prefix!r} begins with '/'")
        if len(prefix) > L.S3_KEY_PREFIX_MAX_CHARS:
            report(f"key prefix has {len(prefix)} characters (limit {L.S3_KEY_PREFIX_MAX_CHARS})")


@resource_rule(
    "aws-gs-autotrack",
    area="aws-groundstation",
    severity="medium",
    enforcement="mandatory",
    types=T.GS_CONFIG,
    controls=("AWS Ground Station TrackingConfig.Autotrack",),
    description="Tracking configs keep autotrack PREFERRED or REQUIRED; REMOVED only when the pack config allows it.",
    remediation="Set autotrack to PREFERRED (what every AWS reference uses), or set allowAutotrackRemoved: true "
    "for program-track-only missions.",
    config={
        "allowAutotrackRemoved": {
            "type": "boolean",
            "default": False,
            "description": "Accept autotrack REMOVED (antennas follow the ephemeris only).",
        }
    },
)
def autotrack(args: Any, report: Any) -> None:
    value = get(args.props, "configData", "trackingConfig", "autotrack")
    if value == "REMOVED" and not args.get_config().get("allowAutotrackRemoved", False):
        report("autotrack is REMOVED: the antenna will not correct pointing from the signal")


def _in(value: Any, bounds: tuple[int, int]) -> bool:
    return is_number(value) and bounds[0] <= value <= bounds[1]


@resource_rule(
    "aws-gs-mission-profile",
    area="aws-groundstation",
    severity="high",
    enforcement="mandatory",
    types=T.GS_MISSION_PROFILE,
    controls=("CloudFormation AWS::GroundStation::MissionProfile schema",),
    description="Mission profiles keep minimum contact 1-21600 s, pre/post pass 0-21600 s, 1-500 dataflow edges, "
    "and a streams KMS key only together with its role.",
    remediation="Use the reference timings (minimum 180 s, pre 120 s, post 60-120 s); pass streams_kms_role "
    "with streams_kms_key.",
)
def mission_profile(args: Any, report: Any) -> None:
    props = args.props
    minimum = get(props, "minimumViableContactDurationSeconds")
    allowed = f"{L.MIN_CONTACT_SECONDS[0]}-{L.MIN_CONTACT_SECONDS[1]} s"
    if minimum is None:
        report(f"minimumViableContactDurationSeconds is not set (allowed {allowed})")
    elif minimum is not UNKNOWN and not _in(minimum, L.MIN_CONTACT_SECONDS):
        report(f"minimum viable contact {_show(minimum)} s is outside {allowed}")
    for key in ("contactPrePassDurationSeconds", "contactPostPassDurationSeconds"):
        value = get(props, key)
        if value is not None and value is not UNKNOWN and not _in(value, L.PASS_PADDING_SECONDS):
            report(f"{key} {_show(value)} is outside {L.PASS_PADDING_SECONDS[0]}-{L.PASS_PADDING_SECONDS[1]} s")
    edges = get(props, "dataflowEdges")
    if edges is not UNKNOWN and not 1 <= len(as_list(edges)) <= L.DATAFLOW_EDGES_MAX:
        report(f"{len(as_list(edges))} dataflow edges (allowed 1-{L.DATAFLOW_EDGES_MAX})")
    if get(props, "streamsKmsKey") and missing(get(props, "streamsKmsRole")):
        report("streamsKmsKey is set without streamsKmsRole")


@resource_rule(
    "aws-gs-endpoint-group-timing",
    area="aws-groundstation",
    severity="medium",
    enforcement="mandatory",
    types=T.GS_ENDPOINT_GROUP,
    controls=("CloudFormation AWS::GroundStation::DataflowEndpointGroup schema",),
    description="Dataflow endpoint groups keep pre/post pass durations within 120-480 s (CloudFormation's "
    "range, which Cloud Control checks; the API alone takes 30-480).",
    remediation="Set contact_pre_pass_duration_seconds and contact_post_pass_duration_seconds between 120 and 480 "
    "(these are create-only: a change replaces the group).",
)
def endpoint_group_timing(args: Any, report: Any) -> None:
    for key in ("contactPrePassDurationSeconds", "contactPostPassDurationSeconds"):
        value = get(args.props, key)
        if value is not None and value is not UNKNOWN and not _in(value, L.ENDPOINT_PASS_PADDING_SECONDS):
            lo, hi = L.ENDPOINT_PASS_PADDING_SECONDS
            report(f"{key} {_show(value)} is outside {lo}-{hi} s")


@resource_rule(
    "aws-gs-region",
    area="aws-groundstation",
    severity="high",
    enforcement="mandatory",
    types=T.GS_ALL,
    controls=("AWS Ground Station API endpoints (botocore endpoint data)",),
    description="Ground Station resources live in a region with a Ground Station API endpoint "
    "(antenna sites deliver there across regions).",
    remediation="Deploy the ground segment in one of: " + ", ".join(sorted(L.AWS_GROUND_STATION_API_REGIONS)) + ".",
)
def region(args: Any, report: Any) -> None:
    provider = getattr(args, "provider", None)
    value = get(provider.props, "region") if provider is not None else None
    if isinstance(value, str) and value not in L.AWS_GROUND_STATION_API_REGIONS:
        report(f"region {value} has no AWS Ground Station API endpoint")
