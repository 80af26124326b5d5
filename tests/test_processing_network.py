"""The contact processor reaches its stores in a real deployment, not only under the mocks.

Azure: the account denies what its firewall does not admit (and, behind a private network,
all public traffic), so the Flex Consumption app and the Container Apps job run in a subnet of
their own, delegated to Microsoft.App/environments. AWS: a private mission's buckets admit object
access through the VPC's S3 endpoint, so the function runs in that VPC. noaa20 is public,
partner private (specs/).
"""

from __future__ import annotations

from groundlink.preflight import preflight_planned

from .aws_support import doc
from .conftest import cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"
ACCOUNT = "azure-native:storage:StorageAccount"
APP = "azure-native:web:WebApp"
LAMBDA = "aws:lambda/function:Function"


def _processing_subnet(plan):
    (subnet,) = [s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    return subnet


class TestAzurePublic:
    def test_the_app_runs_in_a_delegated_subnet_the_account_firewall_admits(self, azure_noaa20) -> None:
        subnet = _processing_subnet(azure_noaa20)
        app = azure_noaa20.one(APP)
        account = azure_noaa20.one(ACCOUNT)
        assert app.inputs["virtualNetworkSubnetId"] == subnet.outputs["id"]
        assert subnet.inputs["delegations"] == [{"name": "processing", "serviceName": "Microsoft.App/environments"}]
        assert subnet.inputs["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]
        assert account.inputs["networkRuleSet"]["virtualNetworkRules"] == [
            {"virtualNetworkResourceId": subnet.outputs["id"], "action": "Allow"}
        ]
        assert account.inputs["networkRuleSet"]["defaultAction"] == "Deny"

    def test_the_subnet_is_the_processors_alone_in_a_network_of_its_own(self, azure_noaa20) -> None:
        (vnet,) = azure_noaa20.of_type(VNET)  # a public stack has no other network
        subnet = _processing_subnet(azure_noaa20)
        assert subnet.inputs["virtualNetworkName"] == vnet.outputs["name"] == "vnet-noaa20-processing"
        assert azure_noaa20.of_type(SUBNET) == [subnet]
        assert "processing.function" in subnet.capability and "processing.function" in vnet.capability


class TestAzurePrivate:
    def test_the_app_joins_the_endpoint_network_and_needs_no_firewall_rule(self) -> None:
        plan = cached_plan("partner.yaml", "azure")
        subnet = _processing_subnet(plan)
        endpoints = next(s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "private-endpoints")
        account = plan.one(ACCOUNT)
        assert plan.one(APP).inputs["virtualNetworkSubnetId"] == subnet.outputs["id"]
        # the same VNet as the stores' private endpoints, whose DNS zones it is linked to
        assert subnet.inputs["virtualNetworkName"] == endpoints.inputs["virtualNetworkName"]
        assert subnet.inputs["addressPrefix"] == "10.42.0.128/25"
        assert endpoints.inputs["addressPrefix"] == "10.42.0.0/25"
        # Flex Consumption wants the subnet used for nothing else: no service endpoint here
        assert "serviceEndpoints" not in subnet.inputs
        assert subnet.inputs["delegations"] == [{"name": "processing", "serviceName": "Microsoft.App/environments"}]
        # the public endpoint stays on for trusted services only (docs/azure.md, "Storage behind
        # security.network: private"); the app reaches the account through its private endpoints
        assert account.inputs["publicNetworkAccess"] == "Enabled"
        assert account.inputs["networkRuleSet"]["defaultAction"] == "Deny"
        assert "virtualNetworkRules" not in account.inputs["networkRuleSet"]
        assert len(plan.of_type(VNET)) == 1

    def test_its_two_subnets_are_created_one_after_the_other(self) -> None:
        """Azure refuses a subnet operation while another runs on the same VNet (409
        AnotherOperationInProgress, 429 RetryableError): the endpoint subnet waits for the
        processor's, so a first `pulumi up` never puts both at once."""
        plan = cached_plan("partner.yaml", "azure")
        subnet = _processing_subnet(plan)
        endpoints = next(s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "private-endpoints")
        assert subnet.urn in endpoints.dependencies
        assert endpoints.urn not in subnet.dependencies


def test_an_azure_container_job_runs_in_an_internal_environment_in_the_processor_subnet() -> None:
    plan = variant_plan("azure", CONTAINER_JOB)
    environment = plan.one("azure-native:app:ManagedEnvironment")
    subnet = _processing_subnet(plan)
    assert environment.inputs["vnetConfiguration"] == {"infrastructureSubnetId": subnet.outputs["id"], "internal": True}
    assert environment.inputs["workloadProfiles"] == [{"name": "Consumption", "workloadProfileType": "Consumption"}]
    assert "processing.container_job" in subnet.capability
    assert not plan.of_type(APP)


def test_a_private_aws_mission_runs_its_function_in_the_vpc_with_the_s3_endpoint() -> None:
    plan = cached_plan("partner.yaml", "aws")
    function = plan.one(LAMBDA)
    subnet = plan.one("aws:ec2/subnet:Subnet")
    endpoint = plan.one("aws:ec2/vpcEndpoint:VpcEndpoint")
    group = plan.one("aws:ec2/securityGroup:SecurityGroup", "polar-partner-processing-sg")
    assert function.inputs["vpcConfig"] == {
        "subnetIds": [subnet.outputs["id"]],
        "securityGroupIds": [group.outputs["id"]],
    }
    assert endpoint.inputs["vpcEndpointType"] == "Gateway" and endpoint.inputs["vpcId"] == subnet.inputs["vpcId"]
    assert group.inputs["egress"] == [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]
    assert "ingress" not in group.inputs
    role_policy = next(p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.endswith("processing-policy"))
    attach = next(s for s in doc(role_policy)["Statement"] if s["Sid"] == "AttachToMissionVpc")
    assert "ec2:CreateNetworkInterface" in attach["Action"] and "ec2:DeleteNetworkInterface" in attach["Action"]


def test_a_public_aws_function_stays_outside_any_vpc_and_asks_for_no_network_rights(aws_noaa20) -> None:
    function = aws_noaa20.one(LAMBDA)
    assert "vpcConfig" not in function.inputs
    role_policy = next(
        p for p in aws_noaa20.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.endswith("processing-policy")
    )
    assert [s["Sid"] for s in doc(role_policy)["Statement"] if s["Sid"] == "AttachToMissionVpc"] == []


def test_the_networked_processors_pass_preflight_on_both_clouds() -> None:
    plans = [
        cached_plan("partner.yaml", "aws"),
        cached_plan("partner.yaml", "azure"),
        variant_plan("azure", CONTAINER_JOB),
    ]
    assert [(p.cloud, preflight_planned(p)) for p in plans] == [(p.cloud, []) for p in plans]


def _with_subnet(plan, **changes):
    """A copy of `plan` whose processor subnet has `changes` in its inputs."""
    import copy

    changed = copy.deepcopy(plan)
    _processing_subnet(changed).inputs.update(changes)
    return changed


def test_preflight_finds_a_processor_subnet_not_delegated_to_container_apps(azure_noaa20) -> None:
    from groundlink.preflight import integration

    plan = _with_subnet(azure_noaa20, delegations=[{"name": "web", "serviceName": "Microsoft.Web/serverFarms"}])
    (finding,) = integration.azure_findings(plan)
    assert (finding.resource, finding.path) == ("noaa20-processing-app", "virtualNetworkSubnetId")
    assert (
        finding.rule == "joins subnet noaa20-security-processing, which is not delegated to Microsoft.App/environments"
    )
    assert list(integration.azure_findings(azure_noaa20)) == []


def test_preflight_finds_a_processor_subnet_shared_with_private_endpoints() -> None:
    import copy

    from groundlink.preflight import integration

    plan = copy.deepcopy(cached_plan("partner.yaml", "azure"))
    endpoint = plan.of_type("azure-native:network:PrivateEndpoint")[0]
    endpoint.inputs["subnet"] = {"id": _processing_subnet(plan).outputs["id"]}
    (finding,) = integration.azure_findings(plan)
    assert finding.rule == (
        "joins subnet polar-partner-security-network-processing, which also holds private endpoints: "
        "the subnet must be its alone"
    )
