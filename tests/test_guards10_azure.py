"""Azure settings a sampled run of one-line breaks of components/azure/ (2026-12-06) changed
without a test failing, each held to the value docs/azure.md, the provider's schema or Microsoft
gives: Entra-only messaging and logs on TLS 1.2, Data Explorer's network and ingestion, the
mission key wherever a store or namespace encrypts with it, who each grant goes to, the
account's firewall, the hubs' names, the container job's rule and command, the global names
(short, stable, unique), the component outputs, the diagnostics and alerts' targets, and the
refusals of hand-built inputs just either side of each bound.

Expected values are written out by hand; the planned tests share the example's plans and the
variants other files build, and one program run of a hand-built blueprint."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from typing import Any

import pulumi
import pytest
from groundlink.components.azure import naming
from groundlink.components.base import MissionComponent

from groundlink.blueprint import build_blueprint
from groundlink.engine.runner import run_program
from groundlink.spec import spec_from_data

from .azure_support import every, one
from .conftest import cached_plan, spec_data, variant_plan
from .test_processing_cloud import CONTAINER_JOB

PREMIUM = {"security.premium_messaging": True}
ADX = {"analytics.azure_engine": "adx"}
ADX_PRIVATE = {"security.network": "private", "analytics.azure_engine": "adx"}
PRIVATE = {"security.network": "private"}
NO_CMK = {"security.customer_managed_keys": False}
# partner.yaml streaming without telemetry: the stream hub gets a namespace of its own
STREAM_OWN_NAMESPACE = {"delivery.stream": True, "analytics.telemetry_stream": False}

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-noaa20/providers"
CMK_IDENTITY = f"{SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-noaa20-cmk"
VAULT_URI = "https://kv-noaa20-15ddf.vault.azure.net/"
PROCESSING_SUBNET = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-noaa20-processing/subnets/processing"
# the spec's longest mission name (32 characters)
LONGEST_MISSION = "m" + "x" * 30 + "1"

azure_mission = importlib.import_module("groundlink.components.azure.mission")


def _base():
    return cached_plan("noaa20.yaml", "azure")


def _target_names(plan, kind: str, key: str) -> dict[str, str]:
    """Resource name -> the name of the resource whose id its input `key` holds."""
    by_id = {r.id: r.name for r in plan.resources if r.custom}
    return {r.name: by_id.get(r.inputs[key], r.inputs[key]) for r in every(plan, kind)}


# --- messaging and logs: Entra ID only, TLS 1.2 ----------------------------------------------


@pytest.mark.parametrize(
    ("base", "changes"),
    [("noaa20.yaml", {}), ("noaa20.yaml", PREMIUM), ("partner.yaml", STREAM_OWN_NAMESPACE)],
    ids=["standard", "premium", "stream-namespace"],
)
def test_every_messaging_namespace_takes_entra_id_only_over_tls_1_2(base, changes):
    """docs/azure.md: Service Bus and Event Hubs namespaces take TLS 1.2 and have local auth
    disabled. With SAS keys on, anyone holding a namespace key sends or reads contact events past
    every role grant; TLS 1.0/1.1 is what Azure retires."""
    plan = variant_plan("azure", changes, base)
    namespaces = every(plan, "servicebus:Namespace") + every(plan, "eventhub:Namespace")
    assert len(namespaces) == 2, [n.name for n in namespaces]
    for namespace in namespaces:
        assert namespace.inputs["disableLocalAuth"] is True, namespace.name
        assert namespace.inputs["minimumTlsVersion"] == "1.2", namespace.name


def test_the_log_workspace_refuses_shared_key_ingestion():
    """docs/azure.md: `features.disableLocalAuth: true`; with the workspace keys on, their holder
    could write forged records into the audit trail."""
    workspace = one(_base(), "operationalinsights:Workspace")
    assert workspace.inputs["features"] == {"disableLocalAuth": True}


# --- Data Explorer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "access"), [(ADX, "Enabled"), (ADX_PRIVATE, "Disabled")], ids=["public", "private"]
)
def test_the_explorer_cluster_is_public_only_without_a_private_network(changes, access):
    """Private mode reaches the cluster through its private endpoint: left Enabled, the cluster
    answered the internet beside it; Disabled in public mode, no client could reach it at all."""
    cluster = one(variant_plan("azure", changes), "kusto:Cluster").inputs
    assert cluster["publicNetworkAccess"] == access
    assert cluster["trustedExternalTenants"] == []
    assert (cluster["enableDiskEncryption"], cluster["enableDoubleEncryption"]) == (True, True)


def test_the_explorer_database_ingests_the_telemetry_hub_as_the_cluster():
    """An EventHub data connection (kind `EventHub`) from the hub's `adx` consumer group into the
    ContactTelemetry table through its JSON mapping, authenticated as the cluster's own identity:
    another kind or consumer group and nothing is ingested, or the analytics reader loses events."""
    plan = variant_plan("azure", ADX)
    cluster = one(plan, "kusto:Cluster")
    assert one(plan, "kusto:ReadWriteDatabase").inputs["kind"] == "ReadWrite"
    connection = one(plan, "kusto:EventHubDataConnection").inputs
    assert connection["kind"] == "EventHub"
    assert connection["dataConnectionName"] == "contact-telemetry"
    assert connection["consumerGroup"] == "adx"
    assert connection["dataFormat"] == "MULTIJSON"
    assert (connection["tableName"], connection["mappingRuleName"]) == ("ContactTelemetry", "ContactTelemetryMapping")
    assert connection["managedIdentityResourceId"] == cluster.id
    assert (
        connection["eventHubResourceId"]
        == f"{SUB}/Microsoft.EventHub/namespaces/evhns-noaa20-fd43d/eventhubs/contact-telemetry"
    )


def test_a_failing_explorer_script_fails_the_deployment():
    """With continueOnErrors the schema or the external tables half-made reported success, and
    ingestion or the catalog failed later with no error where it began."""
    scripts = {
        s.inputs["scriptName"]: s.inputs["continueOnErrors"] for s in every(variant_plan("azure", ADX), "kusto:Script")
    }
    assert scripts == {"product-tables": False, "telemetry-schema": False}


# --- the mission key -------------------------------------------------------------------------


def test_the_account_encrypts_with_the_mission_key_through_its_identity():
    """docs/azure.md: the account uses the mission key `data` in the mission vault through the
    user-assigned identity. A wrong key name, vault or identity and ARM refuses the account (or
    the account falls back to Microsoft's keys)."""
    account = one(_base(), "storage:StorageAccount").inputs
    assert account["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [CMK_IDENTITY]}
    encryption = account["encryption"]
    assert encryption["keySource"] == "Microsoft.Keyvault"
    assert encryption["keyVaultProperties"] == {"keyName": "data", "keyVaultUri": VAULT_URI}
    assert encryption["encryptionIdentity"] == {"encryptionUserAssignedIdentity": CMK_IDENTITY}
    assert encryption["requireInfrastructureEncryption"] is True


def test_without_the_mission_key_the_account_uses_microsoft_keys_and_no_identity():
    account = one(variant_plan("azure", NO_CMK), "storage:StorageAccount").inputs
    assert account["encryption"]["keySource"] == "Microsoft.Storage"
    assert "keyVaultProperties" not in account["encryption"]
    assert account.get("identity") is None


@pytest.mark.parametrize(("changes", "identity"), [({}, "SystemAssigned,UserAssigned"), (NO_CMK, "SystemAssigned")])
def test_the_synapse_workspace_has_its_own_identity_and_the_key_s_when_keyed(changes, identity):
    """The workspace's grants go to its system identity, and its key is reached through the
    mission's: Synapse takes `SystemAssigned,UserAssigned` (no space; provider schema
    ResourceIdentityType), and a workspace without the user-assigned one cannot unwrap its key."""
    assert one(variant_plan("azure", changes), "synapse:Workspace").inputs["identity"]["type"] == identity


def test_the_synapse_workspace_encrypts_with_the_mission_key_by_its_versionless_url():
    encryption = one(_base(), "synapse:Workspace").inputs["encryption"]
    assert encryption == {
        "cmk": {
            "key": {"name": "data", "keyVaultUrl": "https://kv-noaa20-15ddf.vault.azure.net/keys/data"},
            "kekIdentity": {"userAssignedIdentity": CMK_IDENTITY, "useSystemAssignedIdentity": False},
        }
    }


def test_premium_namespaces_encrypt_with_the_mission_key_through_its_identity():
    """Service Bus / Event Hubs customer-managed keys: keySource `Microsoft.KeyVault`, the key in
    the mission vault, the user-assigned identity named on the key; the telemetry namespace keeps
    its system identity too (Capture writes with it: `SystemAssigned, UserAssigned`)."""
    plan = variant_plan("azure", PREMIUM)
    expected = {
        "keySource": "Microsoft.KeyVault",
        "keyVaultProperties": [
            {"keyName": "data", "keyVaultUri": VAULT_URI, "identity": {"userAssignedIdentity": CMK_IDENTITY}}
        ],
        "requireInfrastructureEncryption": True,
    }
    identities = {}
    for namespace in every(plan, "servicebus:Namespace") + every(plan, "eventhub:Namespace"):
        assert namespace.inputs["sku"] == {"name": "Premium", "tier": "Premium", "capacity": 1}
        assert namespace.inputs["encryption"] == expected, namespace.name
        assert namespace.inputs["identity"]["userAssignedIdentities"] == [CMK_IDENTITY]
        identities[namespace.name] = namespace.inputs["identity"]["type"]
    assert identities == {
        "noaa20-events-bus": "UserAssigned",
        "noaa20-ground-telemetry-namespace": "SystemAssigned, UserAssigned",
    }


def test_a_premium_bus_admits_the_processor_s_subnet_and_trusted_services_only():
    rules = one(variant_plan("azure", PREMIUM), "servicebus:NamespaceNetworkRuleSet").inputs
    assert rules["defaultAction"] == "Deny"
    # the public endpoint stays on: Event Grid delivers through it as a trusted service
    assert rules["publicNetworkAccess"] == "Enabled"
    assert rules["trustedServiceAccessEnabled"] is True
    assert rules["virtualNetworkRules"] == [
        {"subnet": {"id": PROCESSING_SUBNET}, "ignoreMissingVnetServiceEndpoint": False}
    ]


def test_the_storage_events_topic_and_subscription_carry_their_names_and_the_provider_s_enum_values():
    """The topic's name is the mission's (left out, the provider would make one up with a random
    suffix), and each enum is spelt as pulumi-azure-native's `_enums.py` spells it
    (`SystemAssigned`, `EventGridSchema`), not in another case the open enum would let through."""
    topic = one(_base(), "eventgrid:SystemTopic").inputs
    assert (topic["systemTopicName"], topic["identity"]) == ("noaa20-storage-events", {"type": "SystemAssigned"})
    subscription = one(_base(), "eventgrid:SystemTopicEventSubscription").inputs
    assert subscription["eventSubscriptionName"] == "raw-contact-data-created"
    assert subscription["eventDeliverySchema"] == "EventGridSchema"
    for delivery in ("deliveryWithResourceIdentity", "deadLetterWithResourceIdentity"):
        assert subscription[delivery]["identity"] == {"type": "SystemAssigned"}


def test_the_key_vault_is_of_sku_family_a():
    """Key Vault's only sku family is `A` (provider schema SkuFamily): any other is refused."""
    assert one(_base(), "keyvault:Vault").inputs["properties"]["sku"]["family"] == "A"


# --- grants ----------------------------------------------------------------------------------


def test_every_grant_names_a_service_principal():
    """pulumi-azure-native defaults principalType to User, which ARM refuses for a managed
    identity or the partner's application (iam.grant)."""
    types = {r.name: r.inputs["principalType"] for r in every(_base(), "authorization:RoleAssignment")}
    assert len(types) >= 10  # the processor's, the workspace's, the topic's, Capture's, the key user's
    assert set(types.values()) == {"ServicePrincipal"}


@pytest.mark.parametrize(
    ("changes", "holder"), [({}, "web:WebApp"), (CONTAINER_JOB, "app:Job")], ids=["function", "job"]
)
def test_the_processor_s_grants_go_to_its_own_identity(changes, holder):
    """Granted to anyone else (or to an empty principal), the app or job cannot receive a contact
    or read its raw data."""
    plan = variant_plan("azure", changes)
    principal = one(plan, holder).outputs["identity"]["principalId"]
    grants = [r for r in every(plan, "authorization:RoleAssignment") if r.name.startswith("noaa20-processing-")]
    assert len(grants) >= 4
    assert {r.inputs["principalId"] for r in grants} == {principal}
    assert principal  # a GUID, not ""


# --- the account's firewall ------------------------------------------------------------------


def test_the_account_firewall_admits_the_processor_s_subnet_in_public_mode():
    """docs/azure.md, "Contact processing in the network": the account denies by default and
    admits the processor's delegated subnet (a Microsoft.Storage service endpoint); without the
    rule every contact's read of raw data is refused."""
    plan = _base()
    rules = one(plan, "storage:StorageAccount").inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert rules["bypass"] == "AzureServices"
    assert rules["virtualNetworkRules"] == [{"virtualNetworkResourceId": PROCESSING_SUBNET, "action": "Allow"}]
    assert one(plan, "network:Subnet", "noaa20-security-processing").id == PROCESSING_SUBNET


def test_behind_private_endpoints_the_account_firewall_admits_no_subnet():
    rules = one(variant_plan("azure", PRIVATE), "storage:StorageAccount").inputs["networkRuleSet"]
    assert "virtualNetworkRules" not in rules


# --- names -----------------------------------------------------------------------------------


def test_the_contact_hubs_are_named_as_the_docs_say():
    """docs/azure.md: telemetry arrives on hub `contact-telemetry`, a partner's live stream on
    `contact-data`: the partner is told these names, and its sender grant is scoped to the hub."""
    assert [h.inputs["eventHubName"] for h in every(_base(), "eventhub:EventHub")] == ["contact-telemetry"]
    streamed = variant_plan("azure", STREAM_OWN_NAMESPACE, "partner.yaml")
    assert [h.inputs["eventHubName"] for h in every(streamed, "eventhub:EventHub")] == ["contact-data"]


def test_the_stack_s_global_names_are_the_same_on_every_run():
    """Hashed from the mission's name and the role alone: a rename would replace every store."""
    assert naming.stable_suffix("noaa20", "") == "7fef7b"
    assert naming.stable_suffix("noaa20", "kv", length=5) == "15ddf"
    assert naming.storage_account_name("noaa20") == "noaa207fef7b"
    assert naming.key_vault_name("noaa20") == "kv-noaa20-15ddf"
    assert naming.namespace_name("sb", "noaa20") == "sb-noaa20-0d109"
    assert naming.kusto_cluster_name("noaa20") == "adxnoaa20f6cd5c"
    assert naming.synapse_workspace_name("noaa20") == "syn-noaa20-7a252"
    assert naming.compact_name("noaa20", "job", max_length=32) == "noaa20jobabb3ba"
    assert naming.role_assignment_name("noaa20", "noaa20-events-topic-sends-to-queue") == (
        "250216af-1930-5578-9dd3-bb17a939c6ff"
    )


def test_a_long_mission_s_names_are_cut_to_azure_s_limits_and_stay_unique():
    """Storage accounts and key vaults take at most 24 characters, Data Explorer clusters 22:
    the stem is cut, the suffix (hashed from the whole name) kept, so two long missions that
    differ only past the cut still get names of their own."""
    other = "m" + "x" * 30 + "2"
    assert naming.storage_account_name(LONGEST_MISSION) == "m" + "x" * 17 + "dabaf6"
    assert naming.storage_account_name(other) == "m" + "x" * 17 + "94cb25"
    assert naming.key_vault_name(LONGEST_MISSION) == "kv-m" + "x" * 14 + "-375f5"
    assert naming.key_vault_name(other) == "kv-m" + "x" * 14 + "-5de60"
    assert naming.kusto_cluster_name(LONGEST_MISSION) == "adxm" + "x" * 12 + "77a0e4"
    assert [len(n) for n in (naming.storage_account_name(other), naming.key_vault_name(other))] == [24, 24]


def test_names_keep_to_the_characters_azure_takes():
    """Compact names: lowercase letters and digits starting with a letter; dashed names: no
    uppercase, underscore, double or trailing dash (Azure refuses each)."""
    assert naming.compact_name("42sat") == "satb8b6c2"
    assert naming.compact_name("123") == "m0cee34"
    assert naming.dashed_name("kv", "a--b", max_length=24) == "kv-a-b-be6fe"
    assert naming.dashed_name("kv", "Sat_One", max_length=24) == "kv-satone-b3944"
    # cut at the dash: "abcdefghijklmn-" is what fits, and no "--" is left before the suffix
    assert naming.dashed_name("kv", "abcdefghijklmn-opq", max_length=24) == "kv-abcdefghijklmn-07ab6"
    assert naming.synapse_workspace_name("ondemand1") == "syn-od1-f09f9"
    assert naming.dashed_name("kv", "__", max_length=24) == "kv-a4ab2"  # nothing to show: no empty part


# --- the processor ---------------------------------------------------------------------------


def test_the_container_job_s_rule_and_command():
    """The job runs `python -m groundlink.runtime.job` (a module the image holds, with a main):
    any other command and every execution fails; the scale rule is named `contact-queue`."""
    job = one(variant_plan("azure", CONTAINER_JOB), "app:Job").inputs
    (rule,) = job["configuration"]["eventTriggerConfig"]["scale"]["rules"]
    assert rule["name"] == "contact-queue"
    assert rule["identity"] == "system"
    (container,) = job["template"]["containers"]
    assert container["command"] == ["python", "-m", "groundlink.runtime.job"]
    assert importlib.util.find_spec("groundlink.runtime.job") is not None


def test_the_functions_app_is_a_linux_function_app_on_a_flex_plan():
    """Flex Consumption runs Linux function apps only: kind `functionapp,linux` on a plan of kind
    `functionapp`, sku FC1, reserved (Microsoft Learn, Flex Consumption ARM templates)."""
    plan = _base()
    assert one(plan, "web:WebApp").inputs["kind"] == "functionapp,linux"
    farm = one(plan, "web:AppServicePlan").inputs
    assert (farm["kind"], farm["sku"], farm["reserved"]) == (
        "functionapp",
        {"name": "FC1", "tier": "FlexConsumption"},
        True,
    )


# --- outputs, diagnostics, alerts ------------------------------------------------------------


def test_the_synapse_workspace_reads_the_account_s_dfs_endpoint():
    """The workspace's default lake is the account's Data Lake (dfs) endpoint, not its blob one."""
    lake = one(_base(), "synapse:Workspace").inputs["defaultDataLakeStorage"]
    assert lake["accountUrl"] == "https://noaa207fef7b.dfs.core.windows.net"
    assert lake["filesystem"] == "synapse"


@pytest.fixture(scope="module")
def hand_built_without_raw_store() -> dict[str, Any]:
    """A program's own blueprint with no raw store, its stack outputs and the events component's
    registered outputs (a plan keeps no component's outputs)."""
    spec = spec_from_data(spec_data())
    blueprint = build_blueprint(spec).for_cloud("azure")
    own = dataclasses.replace(blueprint, storage=dataclasses.replace(blueprint.storage, raw_store=False))
    registered: dict[str, dict[str, Any]] = {}
    register = MissionComponent.register_outputs

    def keeping(self: MissionComponent, outputs: Any) -> None:
        registered[self.pulumi_resource_name] = dict(outputs)
        register(self, outputs)

    def program() -> None:
        stack = azure_mission.MissionStack(own.mission.name, own, None)
        pulumi.export("raw_store_uri", stack.exports["raw_store_uri"])
        for key, value in registered["noaa20-events"].items():
            pulumi.export(key, value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MissionComponent, "register_outputs", keeping)
        _, outputs = run_program(
            program, stack="own-azure", region=spec.region("azure"), config=spec.provider_config("azure")
        )
    return outputs


def test_the_dead_letter_queue_is_the_queue_s_dead_letter_subqueue(hand_built_without_raw_store):
    """docs/azure.md: `dead_letter_queue` is `<event_queue>/$DeadLetterQueue`, the path Service
    Bus gives a queue's dead-letter subqueue; another path reads an empty or missing queue."""
    assert hand_built_without_raw_store["event_queue"] == "https://sb-noaa20-0d109.servicebus.windows.net/contact-data"
    assert hand_built_without_raw_store["dead_letter_queue"] == (
        "https://sb-noaa20-0d109.servicebus.windows.net/contact-data/$DeadLetterQueue"
    )


def test_no_raw_store_uri_without_a_raw_store(hand_built_without_raw_store):
    """docs/azure.md: no `raw_store_uri` when there is no raw store, as on AWS."""
    assert "raw_store_uri" not in hand_built_without_raw_store
    assert _base().outputs["raw_store_uri"] == "abfss://raw-contact-data@noaa207fef7b.dfs.core.windows.net/"


@pytest.mark.parametrize(
    ("base", "changes", "targets"),
    [
        (
            "noaa20.yaml",
            {},
            {
                "storage": "noaa20-storage-account",
                "blob": "noaa20-storage-blob-service",
                "servicebus": "noaa20-events-bus",
                "vault": "noaa20-security-vault",
                "eventhubs": "noaa20-ground-telemetry-namespace",
                "synapse": "noaa20-analytics-workspace",
                "processing-app": "noaa20-processing-app",
                "events": "noaa20-events-topic",
            },
        ),
        ("noaa20.yaml", CONTAINER_JOB, {"processing-environment": "noaa20-processing-environment"}),
        ("noaa20.yaml", ADX, {"adx": "noaa20-analytics-cluster"}),
        ("partner.yaml", STREAM_OWN_NAMESPACE, {"stream-eventhubs": "polar-partner-ground-stream-namespace"}),
    ],
    ids=["noaa20", "job", "adx", "stream-namespace"],
)
def test_each_diagnostic_setting_sends_its_own_resource_s_logs_to_the_workspace(base, changes, targets):
    """Each setting is on the resource it is named after, into the mission's workspace: a
    setting on the wrong resource (or none) leaves a processor's, engine's or topic's failures
    with no trace."""
    plan = variant_plan("azure", changes, base)
    mission = plan.outputs["mission"]
    found = {
        name.removeprefix(f"{mission}-observability-").removesuffix("-diagnostics"): target
        for name, target in _target_names(plan, "monitor:DiagnosticSetting", "resourceUri").items()
    }
    assert {key: found.get(key) for key in targets} == targets
    workspace = one(plan, "operationalinsights:Workspace").id
    assert {s.inputs["workspaceId"] for s in every(plan, "monitor:DiagnosticSetting")} == {workspace}


def test_the_alerts_watch_the_bus_the_topic_and_the_processor_s_logs():
    """The dead-letter and waiting alerts are on the bus namespace, the undelivered and dropped
    ones on the storage events topic, the frame-loss alert a log search in the workspace; all
    mail the mission's action group."""
    plan = _base()
    scopes = {r.name: r.inputs["scopes"] for r in every(plan, "monitor:MetricAlert")}
    bus, topic = one(plan, "servicebus:Namespace").id, one(plan, "eventgrid:SystemTopic").id
    assert scopes == {
        "noaa20-observability-dead-lettered": [bus],
        "noaa20-observability-waiting": [bus],
        "noaa20-observability-undelivered-events": [topic],
        "noaa20-observability-dropped-events": [topic],
    }
    group = one(plan, "monitor:ActionGroup").id
    loss = one(plan, "monitor:ScheduledQueryRule").inputs
    assert loss["scopes"] == [f"{SUB}/Microsoft.OperationalInsights/workspaces/log-noaa20"]
    assert loss["actions"] == {"actionGroups": [group]}
    job_loss = one(variant_plan("azure", CONTAINER_JOB), "monitor:ScheduledQueryRule").inputs
    assert job_loss["criteria"]["allOf"][0]["query"].startswith("ContainerAppConsoleLogs\n")


# --- refusals of hand-built inputs, either side of each bound --------------------------------

AZURE = build_blueprint(spec_from_data(spec_data("noaa20.yaml"))).for_cloud("azure")


def _with(blueprint, **layers: dict[str, Any]):
    return dataclasses.replace(
        blueprint, **{layer: dataclasses.replace(getattr(blueprint, layer), **c) for layer, c in layers.items()}
    )


def _refused(blueprint) -> str | None:
    try:
        azure_mission._check_inputs(blueprint)
    except pulumi.RunError as error:
        return str(error)
    return None


def test_geo_stores_are_refused_only_where_azure_has_no_gzrs():
    """Poland Central has zone-redundant accounts but no GZRS (limits.AZURE_GZRS_LOCATIONS): geo
    there is refused before the vault and account are made; zone there, and geo in West US 2, pass."""
    poland_geo = _with(AZURE, mission={"region": "polandcentral"}, storage={"redundancy": "geo"})
    line = _refused(poland_geo)
    assert line is not None
    assert line.startswith("MissionInputs.region: 'polandcentral' offers no GZRS storage account")
    assert "swedencentral" in line and "spaincentral" not in line  # the GZRS list, not the ZRS one
    assert _refused(_with(AZURE, mission={"region": "polandcentral"}, storage={"redundancy": "zone"})) is None
    assert _refused(_with(AZURE, mission={"region": "westus2"}, storage={"redundancy": "geo"})) is None


def test_twenty_hub_units_pass_and_twenty_one_only_with_a_contact_hub():
    """A Standard namespace takes 1-20 throughput units: 20 is allowed; 21 is refused only where a
    hub exists (telemetry or a stream), since without one no namespace is made."""
    assert AZURE.ground.telemetry
    assert _refused(_with(AZURE, ground={"hub_units": 20})) is None
    assert _refused(_with(AZURE, ground={"hub_units": 21})) is not None
    assert _refused(_with(AZURE, ground={"hub_units": 21, "telemetry": False, "stream": False})) is None
    assert _refused(_with(AZURE, ground={"hub_units": 21, "telemetry": False, "stream": True})) is not None
