"""AWS networking: every VPC the stack creates records its traffic in flow
logs, and the logs land somewhere encrypted with a key the mission controls; no security group
admits the whole internet."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .joins import of_type, refers_to, sides
from .props import UNKNOWN, admits_every_address, as_list, get
from .registry import resource_rule, stack_rule


def _log_groups(resources: list[Any], flow_log: Any) -> list[Any]:
    """The stack's log groups a flow log delivers to (by ARN, or the older log group name)."""
    return [
        group
        for group in of_type(resources, T.LOG_GROUP)
        if refers_to(flow_log, "logDestination", group, ("arn",))
        or refers_to(flow_log, "logGroupName", group, ("name",))
    ]


def _destination_problem(resources: list[Any], flow_log: Any, require_cmk: bool) -> str | None:
    traffic = get(flow_log.props, "trafficType")
    if isinstance(traffic, str) and traffic.upper() == "ACCEPT":  # CIS AWS 3.7: the rejected packets
        return f"flow log {flow_log.name} records accepted traffic only (trafficType ACCEPT), not the rejected"
    kind = get(flow_log.props, "logDestinationType", default="cloud-watch-logs")
    if kind is UNKNOWN:
        return None
    if kind == "s3":  # the stack's buckets are judged by aws-s3-kms-encryption; another's by no rule
        buckets = of_type(resources, T.S3_BUCKET)
        if any(refers_to(flow_log, "logDestination", b, ("arn",)) for b in buckets):
            return None
        destination = get(flow_log.props, "logDestination")
        if destination is UNKNOWN:
            return None
        # the destination may name a folder of the bucket: arn:aws:s3:::<bucket>/<folder>/
        bucket_arn = str(destination).split("/", 1)[0]
        if any(get(b.props, "arn") == bucket_arn for b in buckets):
            return None
        return f"flow log {flow_log.name} delivers to a bucket this stack does not create ({destination})"
    if kind != "cloud-watch-logs":
        return f"flow log {flow_log.name} delivers to {kind}, whose encryption the pack cannot see"
    groups = _log_groups(resources, flow_log)
    if not groups:
        return f"flow log {flow_log.name} delivers to a log group this stack does not create"
    for group in groups:
        key = get(group.props, "kmsKeyId")
        if require_cmk and key is not UNKNOWN and not key:
            return f"flow log {flow_log.name} delivers to log group {group.name}, which has no kmsKeyId"
    return None


@stack_rule(
    "aws-vpc-flow-logs",
    area="aws-network",
    severity="medium",
    enforcement="mandatory",
    controls=("CIS AWS 3.7", "CKV2_AWS_11", "CKV_AWS_158", "MCSB LT-4"),
    description="Every VPC has a flow log of its rejected traffic (ALL or REJECT), delivered to a KMS-encrypted "
    "CloudWatch log group or to a bucket of the stack.",
    remediation="Add aws.ec2.FlowLog(vpc_id=vpc.id, traffic_type='ALL', log_destination=group.arn, "
    "iam_role_arn=...) with aws.cloudwatch.LogGroup(kms_key_id=key.arn, retention_in_days=...); the key policy "
    "must let logs.<region>.amazonaws.com use the key.",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require the flow log's log group to name a KMS key; false accepts CloudWatch Logs' "
            "own encryption (security.customer_managed_keys: false). A VPC still needs a flow log.",
        }
    },
)
def vpc_flow_logs(args: Any, report: Any) -> None:
    require_cmk = bool(args.get_config().get("requireCustomerManagedKey", True))
    for vpc in of_type(args.resources, T.VPC):
        flow_logs = sides(args.resources, T.FLOW_LOG, "vpcId", vpc, ("id",))
        if not flow_logs:
            report(f"VPC {vpc.name} has no flow log", vpc.urn)
            continue
        problems = [p for p in (_destination_problem(args.resources, f, require_cmk) for f in flow_logs) if p]
        if len(problems) == len(flow_logs):
            report(f"VPC {vpc.name}: {'; '.join(problems)}", vpc.urn)


SECURITY_GROUP_INGRESS = (
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
)


def _ingress_sources(props: Any) -> list[list[Any]]:
    """The source address lists of each ingress rule a resource holds: a group's `ingress`
    blocks, a SecurityGroupRule of type ingress, a SecurityGroupIngressRule."""
    if get(props, "type") == "egress":
        return []
    if get(props, "cidrIpv4") is not None or get(props, "cidrIpv6") is not None:  # SecurityGroupIngressRule
        return [[v for v in (get(props, "cidrIpv4"), get(props, "cidrIpv6")) if v is not None]]
    rules = as_list(get(props, "ingress")) if get(props, "ingress") not in (None, UNKNOWN) else [props]
    return [[*as_list(get(r, "cidrBlocks") or []), *as_list(get(r, "ipv6CidrBlocks") or [])] for r in rules]


@resource_rule(
    "aws-security-group-no-open-ingress",
    area="aws-network",
    severity="high",
    enforcement="mandatory",
    types=SECURITY_GROUP_INGRESS,
    controls=("CIS AWS 5.2", "CIS AWS 5.3"),
    description="No security group admits inbound traffic from every internet address (0.0.0.0/0, ::/0, their "
    "halves, or every public range). The stacks' groups take traffic from each other only (a stream's receiver "
    "from its dataflow endpoint) and send HTTPS out.",
    remediation="Name the source: another security group (referenced_security_group_id) or the clients' own "
    "CIDR ranges.",
)
def no_open_ingress(args: Any, report: Any) -> None:
    reported = False
    for sources in _ingress_sources(args.props):
        if UNKNOWN not in sources and admits_every_address(sources):
            report(f"admits inbound traffic from every internet address ({', '.join(map(str, sources))})")
            reported = True
    if reported:
        return
    # a group's rules add up (security groups are permissive): 0.0.0.0/1 and 128.0.0.0/1 in two
    # blocks that reach one port admit every address there as one 0.0.0.0/0 does
    for (protocol, port), sources in _ingress_by_port(args.props).items():
        if UNKNOWN not in sources and admits_every_address(sources):
            report(
                f"its ingress rules reaching {protocol} port {_port(port)} together admit every internet address "
                f"({', '.join(map(str, sources))})"
            )
            return


def _port(value: Any) -> Any:
    """A port as written (22, not the 22.0 the Analyzer protocol's numbers arrive as)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


ALL_PROTOCOLS = ("-1", "all")
# A protocol written as its number is the same protocol as its name (EC2 takes either: "tcp" or
# "6", "udp" or "17", "icmp" or "1", "icmpv6" or "58"): their blocks add up on one port.
PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def _ingress_by_port(props: Any) -> dict[tuple[str, Any], list[Any]]:
    """The source addresses of a group's `ingress` blocks that reach one port of one protocol,
    where two blocks or more reach it: for each protocol, at each port where a block's range
    starts (the set of blocks reaching a port grows only there). A block of every protocol (-1)
    reaches every port of every protocol; blocks of two other protocols never add up (a TCP
    half and a UDP half of the internet admit neither protocol from everywhere)."""
    blocks = get(props, "ingress")
    if blocks in (None, UNKNOWN) or get(props, "type") == "egress":
        return {}
    ranges = []
    for block in as_list(blocks):
        protocol, low, high = str(get(block, "protocol")).lower(), get(block, "fromPort"), get(block, "toPort")
        protocol = PROTOCOL_NAMES.get(protocol, protocol)
        if protocol in ALL_PROTOCOLS:
            protocol, low, high = "-1", 0, 65535
        if not isinstance(low, int | float) or not isinstance(high, int | float):
            continue  # not known yet: judged at `pulumi up`
        sources = [*as_list(get(block, "cidrBlocks") or []), *as_list(get(block, "ipv6CidrBlocks") or [])]
        ranges.append((protocol, low, high, sources))
    found: dict[tuple[str, Any], list[Any]] = {}
    # every protocol first (its own blocks alone), then each one named, with the every-protocol blocks
    for protocol in ["-1", *sorted({p for p, _, _, _ in ranges} - {"-1"})]:
        counted = [r for r in ranges if r[0] in (protocol, "-1")]
        for port in sorted({low for _, low, _, _ in counted}):
            reaching = [sources for _, low, high, sources in counted if low <= port <= high]
            if len(reaching) > 1:
                found.setdefault((protocol, port), [s for sources in reaching for s in sources])
    return found
