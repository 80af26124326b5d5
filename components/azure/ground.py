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

import pulumi
import pulumi_azure_native as azure

from groundlink import limits
from groundlink.blueprint import Blueprint, declare_gap, realizes, warn
from groundlink.presets import PRESETS
from groundlink.spec import Downlink, Satellite

from ..base import MissionComponent
from .naming import namespace_name
from .security import grant, system_principal
from .storage import AzureStorage

HUB_NAME = "contact-telemetry"
STREAM_HUB_NAME = "contact-data"
ANALYTICS_CONSUMER_GROUP = "analytics"
HUB_PARTITIONS = 2
HUB_RETENTION_HOURS = 24
CAPTURE_INTERVAL_SECONDS = 300
CAPTURE_SIZE_BYTES = 314_572_800
# Capture requires every token; the prefix keeps telemetry apart from other products.
CAPTURE_NAME_FORMAT = "telemetry/{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}"

ORBITAL_RETIRED = (
    f"Azure Orbital Ground Station was retired on {limits.AZURE_ORBITAL_RETIRED_ON}: "
    "orbital.Spacecraft, orbital.ContactProfile and the subnet delegated to "
    "Microsoft.Orbital/orbitalGateways preview but can no longer be created; contacts come "
    "from a partner network (KSAT Lite, Viasat RTE, RBC Signals) delivering into the landing zone"
)
MANAGED_GAP = (
    f"Azure Orbital Ground Station retired {limits.AZURE_ORBITAL_RETIRED_ON}; Azure has no "
    "first-party ground station: use provider: partner (partner network)"
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


def contact_hub(
    owner: MissionComponent,
    suffix: str,
    *,
    name: str,
    namespace: azure.eventhub.Namespace,
    resource_group: azure.resources.ResourceGroup,
    **extra,
) -> azure.eventhub.EventHub:
    """Every Event Hub of the stack, sized and retained alike (the twin of the AWS contact_stream):
    a day of retention covers a consumer's outage between passes."""
    return azure.eventhub.EventHub(
        owner.child_name(suffix),
        event_hub_name=name,
        namespace_name=namespace.name,
        resource_group_name=resource_group.name,
        partition_count=HUB_PARTITIONS,
        retention_description={"cleanup_policy": "Delete", "retention_time_in_hours": HUB_RETENTION_HOURS},
        **extra,
    )


def hardened_namespace(
    owner: MissionComponent,
    name: str,
    *,
    kind: str,
    resource_group: azure.resources.ResourceGroup,
    identity: dict | None = None,
) -> azure.eventhub.Namespace:
    """Every Event Hubs namespace of the stack: Standard, TLS 1.2, Entra-only (no SAS keys), tagged.

    Public network access stays on because the senders (Capture, a partner network) reach it
    from outside the mission's network; Entra ID and per-hub grants are the gate."""
    return azure.eventhub.Namespace(
        owner.child_name(name),
        namespace_name=namespace_name(kind, owner.blueprint.mission),
        resource_group_name=resource_group.name,
        location=owner.blueprint.spec.clouds.azure.location,
        sku={"name": "Standard", "tier": "Standard", "capacity": 1},
        minimum_tls_version="1.2",
        disable_local_auth=True,
        public_network_access="Enabled",
        identity=identity,
        tags=owner.tags,
        opts=owner.opts(),
    )


class AzureTelemetry(MissionComponent):
    """Contact telemetry: an Event Hubs namespace and hub, captured to the products container."""

    TOKEN = "groundlink:index:AzureTelemetry"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        storage: AzureStorage,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        # Capture writes the archive with the namespace's own identity.
        self.namespace = realizes(
            hardened_namespace(
                self, "namespace", kind="evhns", resource_group=resource_group, identity={"type": "SystemAssigned"}
            ),
            "analytics.telemetry_stream",
        )
        principal = system_principal(self.namespace)
        capture_write = realizes(
            grant(
                self,
                "capture-writes-products",
                role="Storage Blob Data Contributor",
                principal_id=principal,
                scope=storage.products.id,
            ),
            "analytics.telemetry_archive",
        )
        self.hub = realizes(
            contact_hub(
                self,
                "hub",
                name=HUB_NAME,
                namespace=self.namespace,
                resource_group=resource_group,
                capture_description={
                    "enabled": True,
                    "encoding": "Avro",
                    "interval_in_seconds": CAPTURE_INTERVAL_SECONDS,
                    "size_limit_in_bytes": CAPTURE_SIZE_BYTES,
                    "skip_empty_archives": True,
                    "destination": {
                        "name": "EventHubArchive.AzureBlockBlob",
                        "storage_account_resource_id": storage.account.id,
                        "blob_container": blueprint.products_container,
                        "archive_name_format": CAPTURE_NAME_FORMAT,
                        "identity": {"type": "SystemAssigned"},
                    },
                },
                opts=self.opts(depends_on=[capture_write]),
            ),
            "analytics.telemetry_stream",
            "analytics.telemetry_archive",
        )
        self.consumer_group = realizes(
            azure.eventhub.ConsumerGroup(
                self.child_name("analytics"),
                consumer_group_name=ANALYTICS_CONSUMER_GROUP,
                event_hub_name=self.hub.name,
                namespace_name=self.namespace.name,
                resource_group_name=resource_group.name,
                opts=self.opts(),
            ),
            "analytics.telemetry_stream",
        )
        self.register_outputs({"hub_id": self.hub.id})


class AzureOrbitalLegacy(MissionComponent):
    """The retired Azure Orbital Ground Station resources: opt-in only, always with a warning."""

    TOKEN = "groundlink:index:AzureOrbitalLegacy"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        telemetry: AzureTelemetry | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        warn(ORBITAL_RETIRED)
        spec = blueprint.spec
        endpoint = spec.clouds.azure.orbital
        location = spec.clouds.azure.location
        capabilities = ["ground.managed_station"] + (["ground.stream_delivery"] if spec.delivery.stream else [])
        self.vnet = realizes(
            azure.network.VirtualNetwork(
                self.child_name("vnet"),
                virtual_network_name=f"vnet-{blueprint.mission}-orbital",
                resource_group_name=resource_group.name,
                location=location,
                address_space={"address_prefixes": [endpoint.vnet_cidr]},
                tags=self.tags,
                opts=self.opts(),
            ),
            *capabilities,
        )
        self.subnet = realizes(
            azure.network.Subnet(
                self.child_name("gateway-subnet"),
                subnet_name="orbital-gateway",
                virtual_network_name=self.vnet.name,
                resource_group_name=resource_group.name,
                address_prefix=endpoint.gateway_subnet_cidr,
                delegations=[{"name": "orbital-gateway", "service_name": "Microsoft.Orbital/orbitalGateways"}],
                opts=self.opts(),
            ),
            *capabilities,
        )
        event_hub_uri = None
        if telemetry and endpoint.resource_provider_object_id:
            event_hub_uri = telemetry.hub.id
            realizes(
                grant(
                    self,
                    "orbital-sends-telemetry",
                    role="Azure Event Hubs Data Sender",
                    principal_id=endpoint.resource_provider_object_id,
                    scope=telemetry.hub.id,
                ),
                "ground.managed_station",
            )
        elif telemetry:
            warn(NO_ORBITAL_PRINCIPAL)
        self.spacecraft: list[azure.orbital.Spacecraft] = []
        self.contact_profiles: list[azure.orbital.ContactProfile] = []
        gs = spec.ground_segment
        for sat in spec.satellites:
            self.spacecraft.append(
                realizes(
                    azure.orbital.Spacecraft(
                        self.child_name(sat.name, "spacecraft"),
                        spacecraft_name=sat.name,
                        resource_group_name=resource_group.name,
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
                        opts=self.opts(),
                    ),
                    "ground.managed_station",
                )
            )
            self.contact_profiles.append(
                realizes(
                    azure.orbital.ContactProfile(
                        self.child_name(sat.name, "contact-profile"),
                        contact_profile_name=f"{sat.name}-downlink",
                        resource_group_name=resource_group.name,
                        location=location,
                        minimum_elevation_degrees=gs.min_elevation_deg,
                        minimum_viable_contact_duration=iso_duration(gs.min_contact_seconds),
                        auto_tracking_configuration=autotrack(sat, gs.autotrack),
                        event_hub_uri=event_hub_uri,
                        network_configuration={"subnet_id": self.subnet.id},
                        links=self._links(sat),
                        tags={**self.tags, "endpoint-mtu": str(endpoint.mtu)},
                        opts=self.opts(),
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

    def _links(self, sat: Satellite) -> list[dict]:
        """One link per polarization (a link is unique in direction and polarity), one channel per
        downlink; each channel gets its own port, so ports are unique within the profile."""
        endpoint = self.blueprint.spec.clouds.azure.orbital
        links: dict[str, dict] = {}
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
            link["channels"].append(channel)
        return list(links.values())


class AzureGround(MissionComponent):
    """The landing zone (always), the telemetry hub and the partner's stream hub (when asked) and the
    legacy resources (opt-in)."""

    TOKEN = "groundlink:index:AzureGround"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        storage: AzureStorage,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        spec = blueprint.spec
        legacy = spec.clouds.azure.legacy_orbital
        self.landing = realizes(storage.raw, "ground.partner_landing")
        self.ids: list[pulumi.Output[str]] = [self.landing.id]
        partner = spec.ground_segment.partner
        principal = partner.azure_principal_object_id if partner else None
        self.partner_grant: azure.authorization.RoleAssignment | None = None
        if principal:
            self.partner_grant = realizes(
                grant(
                    self,
                    "partner-writes-landing",
                    role="Storage Blob Data Contributor",
                    principal_id=principal,
                    principal_type=None,
                    scope=self.landing.id,
                ),
                "ground.partner_landing",
                "ground.delivery_identity",
            )
            self.ids.append(self.partner_grant.id)
        else:
            declare_gap(
                "ground.delivery_identity",
                "no ground_segment.partner.azure_principal_object_id: the "
                "landing container grants nobody write access until a partner principal is named",
            )
        self.telemetry = (
            AzureTelemetry(
                self.child_name("telemetry"),
                blueprint,
                resource_group=resource_group,
                storage=storage,
                opts=self.opts(),
            )
            if spec.analytics.telemetry_stream
            else None
        )
        self.legacy = (
            AzureOrbitalLegacy(
                self.child_name("orbital"),
                blueprint,
                resource_group=resource_group,
                telemetry=self.telemetry,
                opts=self.opts(),
            )
            if legacy
            else None
        )
        self.stream_namespace: azure.eventhub.Namespace | None = None
        self.stream_hub: azure.eventhub.EventHub | None = None
        if self.legacy:
            self.ids += [r.id for r in (*self.legacy.spacecraft, *self.legacy.contact_profiles)]
        else:
            if blueprint.managed:
                declare_gap("ground.managed_station", MANAGED_GAP)
            if spec.delivery.stream:
                self._stream_delivery(resource_group, principal)
        self.register_outputs({"ground_segment_ids": self.ids})

    def _stream_delivery(self, resource_group: azure.resources.ResourceGroup, principal: str | None) -> None:
        """The partner streams contact data live into a mission-owned hub, allowed to send there and nowhere else."""
        if not principal:
            declare_gap(
                "ground.stream_delivery",
                "no ground_segment.partner.azure_principal_object_id: there is "
                "nobody to grant 'Azure Event Hubs Data Sender' on a contact-data hub, so none is created",
            )
            return
        if self.telemetry:
            namespace = self.telemetry.namespace
        else:
            namespace = self.stream_namespace = realizes(
                hardened_namespace(self, "stream-namespace", kind="evhns-stream", resource_group=resource_group),
                "ground.stream_delivery",
            )
        self.stream_hub = realizes(
            contact_hub(
                self,
                "contact-data",
                name=STREAM_HUB_NAME,
                namespace=namespace,
                resource_group=resource_group,
                opts=self.opts(),
            ),
            "ground.stream_delivery",
        )
        realizes(
            grant(
                self,
                "partner-sends-contact-data",
                role="Azure Event Hubs Data Sender",
                principal_id=principal,
                principal_type=None,
                scope=self.stream_hub.id,
            ),
            "ground.stream_delivery",
        )
        self.ids.append(self.stream_hub.id)

    @property
    def eventhub_namespaces(self) -> dict[str, azure.eventhub.Namespace]:
        """The Event Hubs namespaces this segment created, by the name their diagnostics go under."""
        found = {"eventhubs": self.telemetry.namespace} if self.telemetry else {}
        if self.stream_namespace:
            found["stream-eventhubs"] = self.stream_namespace
        return found
