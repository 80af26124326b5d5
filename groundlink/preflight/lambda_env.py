"""A Lambda function's environment variables fit the 4 KB Lambda allows for all of them.

botocore's `Environment` shape bounds neither a variable nor their total, so the API shapes
cannot catch it; the quota is on the Lambda quotas page: "Function environment variables:
4 KB, for all environment variables associated with the function, in aggregate" (AWS Lambda
Developer Guide, "Lambda quotas", read 2026-12-02). Lambda measures them as one compact JSON
object, quotes and escapes included (groundlink/limits.py, LAMBDA_ENVIRONMENT_BYTES_MAX): their
names and values alone came 25 bytes short of it. The processor's capture format is one of
them, and a spec's `processing.capture` lists of ports and spacecraft ids make it grow.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import limits
from ..engine.plan import Plan
from .findings import Finding, mapping

ENVIRONMENT_BYTES_MAX = limits.LAMBDA_ENVIRONMENT_BYTES_MAX
SOURCE = 'AWS Lambda Developer Guide, "Lambda quotas": 4 KB of environment variables per function'


def aws_findings(plan: Plan) -> Iterator[Finding]:
    for function in plan.of_type("aws:lambda/function:Function"):
        variables = mapping(mapping(function.inputs.get("environment")).get("variables"))
        size = limits.lambda_environment_bytes(variables)
        if size > ENVIRONMENT_BYTES_MAX:
            largest = max(variables, key=lambda k: len(str(variables[k]).encode()))
            yield Finding(
                function.name,
                function.type,
                f"environment.variables.{largest}",
                variables[largest],
                f"the variables take {size:,} bytes as Lambda measures them (as one JSON object), over the "
                f"{ENVIRONMENT_BYTES_MAX:,} it allows in all "
                "(a long processing.capture list of udp_ports or spacecraft_ids makes them grow)",
                SOURCE,
            )
