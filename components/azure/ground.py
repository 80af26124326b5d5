"""The Azure ground segment: a partner landing zone, and the retired Azure Orbital resources on request.

Azure Orbital Ground Station was retired on 2024-12-18, so the honest Azure
counterpart of "AWS Ground Station -> S3" is "partner network -> landing
zone": the partner's principal may write only into the raw container, and
contact telemetry arrives on an Event Hub (Entra-only, TLS 1.2) that Capture
archives into the products container. With `delivery.stream` the partner
also streams contact data live into a `contact-data` hub it may only send to.

`clouds.azure.legacy_orbital: true` adds what an AOGS estate looked like
(spacecraft, contact profiles, the delegated subnet, telemetry wiring) so it
can be described and compared; pulumi-azure-native still ships these types
without a deprecation mark, they preview, and they fail at deploy. Every plan
that renders them says so.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink import limits
from groundlink.blueprint import ENDPOINT_MTU_TAG, Downlink, GroundInputs, MissionInputs, OrbitalEndpoint, Satellite
from groundlink.blueprint.capabilities import ORBITAL_TELEMETRY_GRANT
from groundlink.presets import PRESETS

from ..base import MissionComponent
from .analytics import AzureTelemetry, TelemetryHub, contact_hub, hardened_namespace
from .iam import grant
from .security import MissionKey
from .storage import Stores

STREAM_HUB_NAME = "contact-data"

ORBITAL_RETIRED = (
    f"Azure Orbital Ground Station was retired on {limits.AZURE_ORBITAL_RETIRED_ON}: "
    "orbital.Spacecraft, orbital.ContactProfile and the subnet delegated to "
    "Microsoft.Orbital/orbitalGateways preview but can no longer be created; contacts come "
    "from a partner network (KSAT Lite, Viasat RTE, RBC Signals) delivering into the landing zone"
)
NO_ORBITAL_PRINCIPAL = (
    "no clouds.azure.orbital.resource_provider_object_id: contact profiles get no telemetry hub, "
    "because Azure Orbital may send to it only as the 'Azure Orbital Resource Provider' principal "
    "holding 'Azure Event Hubs Data Sender'"
)
POLARIZATION = {"right_hand": "RHCP", "left_hand": "LHCP"}


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration as the contact profile wants it: 60 -> PT1M, 90 -> PT1M30S."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{unit}" for v, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if v]
    return "PT" + "".join(parts or ["0S"])


def autotrack(satellite: Satellite, mode: str) -> str:
    """AWS-style autotrack -> Azure's band selection: track on X band when any downlink is X band."""
    if mode == "removed":
        return "disabled"
    x_band = limits.DOWNLINK_BANDS_MHZ[1]
    return "xBand" if any(x_band[0] <= d.center_frequency_mhz <= x_band[1] for d in satellite.downlinks) else "sBand"


def named_demodulation(downlink: Downlink) -> str | None:
    """The named modem configuration of a preset (e.g. aqua_direct_broadcast); DigIF has none."""
    return PRESETS[downlink.preset].azure_demodulation if downlink.preset else None


class AzureOrbitalLegacy(MissionComponent):
    """The retired Azure Orbital Ground Station resources: opt-in only, always with a warning."""

    TOKEN = "groundlink:index:AzureOrbitalLegacy"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        endpoint: OrbitalEndpoint,
        *,
        resource_group_name: pulumi.Output[str],
        telemetry: TelemetryHub | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.warn(ORBITAL_RETIRED)
        self.endpoint = endpoint
        location = mission.region
        capabilities = ["ground.managed_station"] + (["ground.stream_delivery"] if inputs.stream else [])
        self.vnet = self.realize(
            azure.network.VirtualNetwork(
                self.child_name("vnet"),
                virtual_network_name=f"vnet-{mission.name}-orbital",
                resource_group_name=resource_group_name,
                location=location,
                address_space={"address_prefixes": [endpoint.vnet_cidr]},
                tags=self.tags,
                opts=self.opts(),
            ),
            *capabilities,
        )
        self.subnet = self.realize(
            azure.network.Subnet(
                self.child_name("gateway-subnet"),
                subnet_name="orbital-gateway",
                virtual_network_name=self.vnet.name,
                resource_group_name=resource_group_name,
                address_prefix=endpoint.gateway_subnet_cidr,
                delegations=[{"name": "orbital-gateway", "service_name": "Microsoft.Orbital/orbitalGateways"}],
                opts=self.opts(),
            ),
            *capabilities,
        )
        event_hub_uri = None
        if telemetry and endpoint.resource_provider_object_id:
            event_hub_uri = telemetry.hub_id
            self.realize(
                grant(
                    self,
                    ORBITAL_TELEMETRY_GRANT,
                    role="Azure Event Hubs Data Sender",
                    principal_id=endpoint.resource_provider_object_id,
                    scope=telemetry.hub_id,
                ),
                "ground.managed_station",
                "analytics.telemetry_stream",  # the stream's sender, as AWS's row holds its telemetry sink
            )
        elif telemetry:
            self.warn(NO_ORBITAL_PRINCIPAL)
        self.spacecraft: list[azure.orbital.Spacecraft] = []
        self.contact_profiles: list[azure.orbital.ContactProfile] = []
        gs = inputs.timing
        for sat in inputs.satellites:
            self.spacecraft.append(
                self.realize(
                    azure.orbital.Spacecraft(
                        self.child_name(sat.name, "spacecraft"),
                        spacecraft_name=sat.name,
                        resource_group_name=resource_group_name,
                        location=location,
                        norad_id=str(sat.norad_id),
                        title_line=sat.name.upper(),
                        tle_line1=sat.tle[0],
                        tle_line2=sat.tle[1],
                        links=[
                            {
                                "name": d.name,
                                "center_frequency_m_hz": d.center_frequency_mhz,
                                "bandwidth_m_hz": d.bandwidth_mhz,
                                "direction": "Downlink",
                                "polarization": POLARIZATION[d.polarization],
                            }
                            for d in sat.downlinks
                        ],
                        tags=self.tags,
                        # the retired service takes no new resources: deleted, it cannot be made again
                        opts=self.opts(stateful=True),
                    ),
                    "ground.managed_station",
                )
            )
            self.contact_profiles.append(
                self.realize(
                    azure.orbital.ContactProfile(
                        self.child_name(sat.name, "contact-profile"),
                        contact_profile_name=f"{sat.name}-downlink",
                        resource_group_name=resource_group_name,
                        location=location,
                        minimum_elevation_degrees=gs.min_elevation_deg,
                        minimum_viable_contact_duration=iso_duration(gs.min_contact_seconds),
                        auto_tracking_configuration=autotrack(sat, gs.autotrack),
                        event_hub_uri=event_hub_uri,
                        network_configuration={"subnet_id": self.subnet.id},
                        links=self._links(sat),
                        tags=self.tags_and(
                            {ENDPOINT_MTU_TAG: str(endpoint.mtu)}, "a contact profile, beside its endpoint-mtu tag,"
                        ),
                        opts=self.opts(stateful=True),  # as the spacecraft: it cannot be made again
                    ),
                    *capabilities,
                )
            )
        self.register_outputs(
            {
                "spacecraft_ids": [s.id for s in self.spacecraft],
                "contact_profile_ids": [c.id for c in self.contact_profiles],
            }
        )

    def _links(self, sat: Satellite) -> list[dict[str, Any]]:
        """One link per polarization (a link is unique in direction and polarity), one channel per
        downlink; each channel gets its own port, so ports are unique within the profile."""
        endpoint = self.endpoint
        links: dict[str, dict[str, Any]] = {}
        for index, downlink in enumerate(sat.downlinks):
            polarization = POLARIZATION[downlink.polarization]
            link = links.setdefault(
                polarization,
                {
                    "name": f"{polarization.lower()}-downlink",
                    "direction": "Downlink",
                    "polarization": polarization,
                    "channels": [],
                },
            )
            channel = {
                "name": downlink.name,
                "center_frequency_m_hz": downlink.center_frequency_mhz,
                "bandwidth_m_hz": downlink.bandwidth_mhz,
                "end_point": {
                    "end_point_name": f"{sat.name}-{downlink.name}",
                    "ip_address": endpoint.ip_address,
                    "port": str(endpoint.port + index),
                    "protocol": endpoint.protocol.upper(),
                },
            }
            demodulation = named_demodulation(downlink)
            if demodulation:
                channel["demodulation_configuration"] = demodulation
            elif downlink.delivery == "demod_decode":
                self.warn(
                    f"{sat.name}-{downlink.name}: the legacy contact profile's channel has no demodulation (its "
                    "named one comes from a preset, and the downlink has none): Azure Orbital sends a channel "
                    "without one the raw VITA.49 signal, not the demodulated data the spec's demod_decode asks for"
                )
            link["channels"].append(channel)
        return list(links.values())


def check_ground_inputs(inputs: GroundInputs) -> None:
    """The contact hubs' throughput units, refused past what an Event Hubs Standard namespace
    takes before the layer registers anything (MissionStack asks before any layer does; the
    spec refuses a rate past it, MissionSpec._check_contact_hub_rate). Not a rule of the inputs:
    the cost model prices more contacts a day than a spec has, whose hubs would need more."""
    if (inputs.telemetry or inputs.stream) and inputs.hub_units > limits.EVENT_HUBS_STANDARD_MAX_UNITS:
        raise pulumi.RunError(
            f"GroundInputs.hub_units: {inputs.hub_units} is more than an Event Hubs Standard namespace takes; "
            f"allowed: 1-{limits.EVENT_HUBS_STANDARD_MAX_UNITS}"
        )


class AzureGround(MissionComponent):
    """The landing zone (always), the telemetry hub and the partner's stream hub (when asked) and the
    legacy resources (opt-in)."""

    TOKEN = "groundlink:index:AzureGround"
    LAYER = "ground"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        *,
        resource_group_name: pulumi.Output[str],
        storage: Stores,
        messaging_key: MissionKey | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        check_ground_inputs(inputs)
        super().__init__(name, mission, opts)
        self.messaging_key = messaging_key
        # The landing zone is the raw container (storage records it as ground.partner_landing).
        landing_id = storage.raw_container_id
        self.ids: list[pulumi.Output[str]] = [landing_id]
        principal = inputs.partner_principal
        self.partner_grant: azure.authorization.RoleAssignment | None = None
        if principal:
            self.partner_grant = self.realize(
                grant(
                    self,
                    "partner-writes-landing",
                    role="Storage Blob Data Contributor",
                    principal_id=principal,
                    scope=landing_id,
                ),
                "ground.partner_landing",
                "ground.delivery_identity",
            )
            self.ids.append(self.partner_grant.id)
        # hub_units past a Standard namespace's is refused before anything registers (check_ground_inputs)
        premium_most = limits.EVENT_HUBS_PREMIUM_PU_INGRESS_KB_PER_SECOND
        if (inputs.telemetry or inputs.stream) and messaging_key is not None and inputs.hub_units * 1000 > premium_most:
            self.warn(
                f"security.premium_messaging: the contact hubs' namespace is Premium with 1 processing unit, which "
                f"Microsoft gives about 5-10 MB/s of ingress; the contacts at once send more than the low end, "
                f"{premium_most:,} KB/s ({inputs.hub_units} Standard throughput units' worth): the namespace may "
                "throttle them (Microsoft Learn, 'Scaling with Event Hubs')"
            )
        # The telemetry hub is the analytics layer's (as on AWS); it stays a child of the ground
        # segment, where contacts send their telemetry, so its resources keep their identity.
        self.telemetry: TelemetryHub | None = (
            AzureTelemetry(
                self.child_name("telemetry"),
                mission,
                resource_group_name=resource_group_name,
                storage=storage,
                messaging_key=messaging_key,
                units=inputs.hub_units,
                opts=self.opts(),
            ).outputs
            if inputs.telemetry
            else None
        )
        self.legacy = (
            AzureOrbitalLegacy(
                self.child_name("orbital"),
                mission,
                inputs,
                inputs.legacy_orbital,
                resource_group_name=resource_group_name,
                telemetry=self.telemetry,
                opts=self.opts(),
            )
            if inputs.legacy_orbital is not None
            else None
        )
        self.stream_namespace: azure.eventhub.Namespace | None = None
        self.stream_hub: azure.eventhub.EventHub | None = None
        if self.legacy:
            self.ids += [r.id for r in (*self.legacy.spacecraft, *self.legacy.contact_profiles)]
        elif inputs.stream:
            self._stream_delivery(resource_group_name, principal, inputs.hub_units)
        self.register_outputs({"ground_segment_ids": self.ids})

    def _stream_delivery(self, resource_group_name: pulumi.Output[str], principal: str | None, units: int) -> None:
        """The partner streams contact data live into a mission-owned hub, allowed to send there and nowhere else."""
        if not principal:  # nobody to grant sending: the blueprint declares the stream gap
            return
        if self.telemetry:
            namespace_name = self.telemetry.namespace_name
        else:
            self.stream_namespace = self.realize(
                hardened_namespace(
                    self,
                    "stream-namespace",
                    kind="evhns-stream",
                    holds="ground.stream_delivery",
                    resource_group_name=resource_group_name,
                    key=self.messaging_key,
                    units=units,
                ),
                "ground.stream_delivery",
                *(["security.messaging_cmk"] if self.messaging_key else []),
            )
            namespace_name = self.stream_namespace.name
        self.stream_hub = self.realize(
            contact_hub(
                self,
                "contact-data",
                name=STREAM_HUB_NAME,
                namespace_name=namespace_name,
                resource_group_name=resource_group_name,
                opts=self.holder_opts("ground.stream_delivery"),
            ),
            "ground.stream_delivery",
        )
        self.realize(
            grant(
                self,
                "partner-sends-contact-data",
                role="Azure Event Hubs Data Sender",
                principal_id=principal,
                scope=self.stream_hub.id,
            ),
            "ground.stream_delivery",
        )
        self.ids.append(self.stream_hub.id)

    @property
    def eventhub_namespace_ids(self) -> dict[str, pulumi.Output[str]]:
        """The Event Hubs namespaces this segment holds, by the name their diagnostics go under."""
        found = {"eventhubs": self.telemetry.namespace_id} if self.telemetry else {}
        if self.stream_namespace:
            found["stream-eventhubs"] = self.stream_namespace.id
        return found
