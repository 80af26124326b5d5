"""The offline plan engine: the real program under the Pulumi SDK's mocks.

`plan(spec_path, cloud)` runs the project's `__main__.py` in-process with a
monitor that records every registration (type, name, parent, inputs in wire
camelCase, options, dependencies) and mock outputs shaped like the real
provider's (ARNs, Azure resource ids, endpoints). No CLI, no credentials.
"""

from ..errors import PlanError
from .plan import Plan, PlannedResource
from .runner import plan

__all__ = ["Plan", "PlanError", "PlannedResource", "plan"]
