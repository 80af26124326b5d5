"""A container job's definition fits the 24 KiB AWS Batch takes in a RegisterJobDefinition.

botocore's `RegisterJobDefinitionRequest` bounds no member's length, so the API shapes cannot
catch it; the quota is on the AWS Batch quotas page (groundlink/limits.py,
BATCH_JOB_DEFINITION_BYTES_MAX). The container's environment holds the processor's capture
setting, which a spec's `processing.capture` lists of ports and spacecraft ids make grow, and
the definition carries the mission's tags: measured here as the request sends them, one compact
JSON body, tags included (the page does not say they are left out).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .. import limits
from ..engine.plan import Plan
from .findings import Finding

JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition"
SOURCE = 'AWS Batch User Guide, "AWS Batch service quotas": a job definition of at most 24 KiB'
# the request members a definition's inputs name alike (botocore `batch` RegisterJobDefinitionRequest)
_SENT = ("type", "parameters", "retryStrategy", "propagateTags", "timeout", "tags", "platformCapabilities")


def request_bytes(inputs: dict[str, Any], name: str) -> int:
    """The RegisterJobDefinition body of a definition's inputs, as compact JSON."""
    body: dict[str, Any] = {"jobDefinitionName": name, **{k: inputs[k] for k in _SENT if k in inputs}}
    container = inputs.get("containerProperties")
    if container is not None:
        body["containerProperties"] = _parsed(container)
    return len(json.dumps(body, separators=(",", ":")).encode())


def _parsed(container: Any) -> Any:
    """The container properties, a JSON text in the inputs; text that is not JSON (a value only a
    deployment knows) as it is, which the provider schema check judges."""
    if not isinstance(container, str):
        return container
    try:
        return json.loads(container)
    except ValueError:
        return container


def aws_findings(plan: Plan) -> Iterator[Finding]:
    for definition in plan.of_type(JOB_DEFINITION):
        name = str(definition.inputs.get("name") or definition.outputs.get("name") or definition.name)
        size = request_bytes(definition.inputs, name)
        if size > limits.BATCH_JOB_DEFINITION_BYTES_MAX:
            yield Finding(
                definition.name,
                definition.type,
                "containerProperties",
                size,
                f"the definition takes {size:,} bytes as RegisterJobDefinition sends it, tags included, over the "
                f"{limits.BATCH_JOB_DEFINITION_BYTES_MAX:,} AWS Batch takes (a long processing.capture list of "
                "udp_ports or spacecraft_ids, the satellites' names and the mission's tags make it grow)",
                SOURCE,
            )
