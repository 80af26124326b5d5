"""Who may invoke a function, use a layer, reach a security group or use a stream, log group, event
bus or secret, declared with aws-native: the rules that judge them read pulumi-aws's kinds
(processing-function-not-public, aws-security-group-no-open-ingress, aws_resource_policies), so
aws-native's are refused unread rather than passed."""

from __future__ import annotations

import pytest

from .pack_cases import BASELINES
from .pack_harness import Written, resolve, run


@pytest.mark.parametrize(
    ("kind", "judged"),
    [
        ("aws-native:lambda:Permission", "aws.lambda_.Permission"),
        ("aws-native:lambda:Url", "aws.lambda_.FunctionUrl"),
        ("aws-native:lambda:LayerVersionPermission", "aws.lambda_.LayerVersionPermission"),
        ("aws-native:ec2:SecurityGroup", "aws.ec2.SecurityGroup"),
        ("aws-native:ec2:SecurityGroupIngress", "aws.vpc.SecurityGroupIngressRule"),
        ("aws-native:lambda:ResourcePolicy", "aws.lambda_.Permission"),
        ("aws-native:kinesis:ResourcePolicy", "aws.kinesis.ResourcePolicy"),
        ("aws-native:logs:ResourcePolicy", "aws.cloudwatch.LogResourcePolicy"),
        ("aws-native:events:EventBusPolicy", "aws.cloudwatch.EventBusPolicy"),
        ("aws-native:secretsmanager:ResourcePolicy", "aws.secretsmanager.SecretPolicy"),
        ("aws-native:batch:JobDefinition", "aws.batch.JobDefinition"),
    ],
)
def test_aws_native_access_kinds_are_refused_unread(kind: str, judged: str) -> None:
    name = "native-" + kind.rsplit(":", 1)[1].lower()
    bases = {**BASELINES, name: Written(kind, name, {"description": "a user's"}, "aws-native, beside groundlink's")}
    assert run("pack-reads-every-guarded-kind", resolve(bases, name)) == [
        f"{kind} is not read by the pack's rules of its kind, which judge {judged}"
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "azure:network/networkSecurityGroup:NetworkSecurityGroup",
        "azure:network/networkSecurityRule:NetworkSecurityRule",
        "azure:containerapp/job:Job",
    ],
)
def test_classic_azure_kinds_the_pack_judges_are_refused_unread(kind: str) -> None:
    name = "classic-" + kind.rsplit(":", 1)[1].lower()
    written = Written(kind, name, {"name": name}, "the classic provider, beside groundlink's", ("noaa20.yaml", "azure"))
    found = run("pack-reads-every-guarded-kind", resolve({**BASELINES, name: written}, name))
    assert len(found) == 1 and found[0].startswith(f"{kind} is not read by the pack's rules of its kind, which judge ")
