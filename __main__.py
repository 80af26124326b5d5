"""The groundlink Pulumi program.

Reads the stack config (`groundlink:spec`, `groundlink:cloud`), loads and
validates the mission spec, renders that cloud's MissionStack and exports the
output keys both clouds share. Stack files live in stacks/.
"""

from pathlib import Path

import pulumi

from groundlink.blueprint import OUTPUT_KEYS, build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.spec import SpecError, load_spec

config = pulumi.Config("groundlink")
cloud = config.require("cloud")
if cloud not in CLOUDS:
    raise pulumi.RunError(f"groundlink:cloud: {cloud!r} is not allowed; allowed: {', '.join(CLOUDS)}")

spec_path = Path(config.require("spec"))
if not spec_path.is_absolute():
    spec_path = Path(__file__).resolve().parent / spec_path
try:
    spec = load_spec(spec_path)
except SpecError as error:
    raise pulumi.RunError("\n".join(error.lines)) from None

# The stack's provider region must be the spec's, or resources would land elsewhere.
for full_key, wanted in spec.provider_config(cloud).items():
    namespace, key = full_key.split(":")
    configured = pulumi.Config(namespace).get(key)
    if configured is not None and configured != wanted:
        raise pulumi.RunError(
            f"{namespace}:{key}: {configured!r} differs from the spec's "
            f"clouds.{cloud} ({wanted!r}); set it to {wanted!r} or edit the spec"
        )

blueprint = build_blueprint(spec)
if cloud == "aws":
    from components.aws import MissionStack
else:
    from components.azure import MissionStack

mission = MissionStack(blueprint.mission, blueprint)
for key in OUTPUT_KEYS:
    pulumi.export(key, mission.exports[key])
