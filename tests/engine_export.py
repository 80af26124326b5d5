"""`pulumi stack export` documents (deployment version 3) in the form the real engine writes
them, built from an offline plan, for the diff's tests; run as a script, it rewrites
tests/fixtures/noaa20-aws.real.checkpoint.json from the mock-form fixture beside it.

    .venv/bin/python -m tests.engine_export

Where the form comes from:

- URNs. The engine qualifies a resource's type with its parent's whole qualified type and
  leaves the root stack's type out (pulumi/pulumi sdk/go/common/resource/urn.go, NewURN with
  `parent.QualifiedType()`; its package documentation: "<Qualified$Type$Name> The object type's
  qualified type token (including the parent type)". The installed SDK's `create_urn`, used for
  aliases only, writes `pulumi:pulumi:Stack$` for a child of the stack, as the mocks do. This
  module writes the engine's form by that rule; no Pulumi CLI is at hand to export a real stack):
  `urn:pulumi:prod::groundlink::groundlink:index:AwsMissionStack$groundlink:index:AwsEvents$aws:sqs/queue:Queue::noaa20-events-contacts`.
  The offline plan's URNs are the SDK mocks' (pulumi/runtime/mocks.py `make_urn`): only the
  immediate parent's type, and `pulumi:pulumi:Stack$...` for a child of the stack, which the
  engine never writes. Plans saved by earlier groundlink versions hold that form.
- The stack resource, `pulumi:pulumi:Stack::<project>-<stack>`, is the parent of every
  top-level resource; each provider package has a default provider resource,
  `pulumi:providers:<package>::default_<version>`, which resources name as `URN::ID`.
- Envelopes (pulumi/runtime/rpc.py `_special_sig_key` and the `_special_*_sig` values): a secret
  is `{sig: secret, "ciphertext": ...}`; an asset `{sig: asset, "hash": <sha256>, "path"|"text"}`;
  an archive `{sig: archive, "hash": <sha256>, "assets": {name: asset}}` or `"path": ...`.
  The plan records an asset as `sha256:<hex>` and an archive of assets as its members by name.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_VERSIONS = {"aws": "7.51.1", "aws-native": "1.84.0", "azure-native": "3.29.0"}
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def qualified_types(plan_resources: list[dict[str, Any]]) -> dict[str, str]:
    """Plan URN -> the type the engine qualifies it with: every ancestor's type, the root stack
    left out, then its own."""
    by_urn = {r["urn"]: r for r in plan_resources}
    found: dict[str, str] = {}

    def qualified(resource: dict[str, Any]) -> str:
        parent = by_urn.get(resource.get("parent") or "")
        if parent is None or parent["type"] == STACK_TYPE:
            return str(resource["type"])
        return qualified(parent) + "$" + resource["type"]

    for resource in plan_resources:
        found[resource["urn"]] = qualified(resource)
    return found


def secret(value: Any) -> dict[str, str]:
    return {SIG: SECRET_SIG, "ciphertext": "v1:" + hashlib.sha1(json.dumps(value).encode()).hexdigest()}


def asset(digest: str, path: str = "file") -> dict[str, str]:
    """An asset envelope of a plan's `sha256:<hex>`."""
    return {SIG: ASSET_SIG, "hash": digest.removeprefix("sha256:"), "path": path}


def archive(members: Mapping[str, str], whole: str = "0" * 64) -> dict[str, Any]:
    """An archive envelope of a plan's archive of assets (member -> `sha256:<hex>`)."""
    return {SIG: ARCHIVE_SIG, "hash": whole, "assets": {name: asset(d, name) for name, d in members.items()}}


def export(
    plan: Mapping[str, Any],
    *,
    stack: str = "prod",
    project: str | None = None,
    mock_urns: bool = False,
    secrets: Iterable[tuple[str, str]] = (),
    envelopes: bool = True,
) -> dict[str, Any]:
    """The export a deployment of `plan` (a plan document) leaves: URNs in the engine's form
    (the mocks' with `mock_urns`), the stack and default provider resources, the inputs
    `secrets` names ((type, input)) encrypted, and with `envelopes` the plan's assets and
    archives (`sha256:` strings, and dicts of them) wrapped as the engine writes them."""
    project = project or plan["project"]
    resources = copy.deepcopy(plan["resources"])
    qualified = qualified_types(resources)
    prefix = f"urn:pulumi:{stack}::{project}::"
    stack_urn = f"{prefix}{STACK_TYPE}::{project}-{stack}"
    renamed = {
        r["urn"]: (prefix + r["urn"].split("::", 2)[2] if mock_urns else f"{prefix}{qualified[r['urn']]}::{r['name']}")
        for r in resources
    }
    stack_urns = {r["urn"] for r in resources if r["type"] == STACK_TYPE}
    out: list[dict[str, Any]] = [{"urn": stack_urn, "custom": False, "type": STACK_TYPE, "outputs": {}}]
    providers: dict[str, str] = {}
    wanted = set(secrets)
    for r in resources:
        if r["type"] == STACK_TYPE:
            continue
        entry: dict[str, Any] = {"urn": renamed[r["urn"]], "custom": r["custom"], "type": r["type"]}
        package = r["type"].split(":")[0]
        if r["custom"] and not r["type"].startswith("pulumi:"):
            entry["id"] = r["id"]
            if r.get("provider"):
                urn, _, pid = r["provider"].rpartition("::")
                entry["provider"] = f"{renamed.get(urn, urn)}::{pid}"
            else:
                if package not in providers:
                    version = PROVIDER_VERSIONS[package]
                    urn = f"{prefix}pulumi:providers:{package}::default_{version.replace('.', '_')}"
                    inputs = {"version": version}
                    if package != "azure-native":
                        inputs["region"] = plan.get("region") or "us-west-2"
                    out.append(
                        {"urn": urn, "custom": True, "id": f"{package}-id", "type": f"pulumi:providers:{package}"}
                    )
                    out[-1] |= {"inputs": inputs, "outputs": inputs}
                    providers[package] = f"{urn}::{package}-id"
                entry["provider"] = providers[package]
        inputs, outputs = r["inputs"], r["outputs"]
        for name in list(inputs):
            if (r["type"], name) in wanted:
                inputs[name] = secret(inputs[name])
                if name in outputs:
                    outputs[name] = inputs[name]
            elif envelopes:
                inputs[name] = _wrapped(inputs[name])
                if name in outputs:
                    outputs[name] = _wrapped(outputs[name])
        entry |= {"inputs": inputs, "outputs": outputs}
        parent = r.get("parent")
        entry["parent"] = stack_urn if not parent or parent in stack_urns else renamed.get(parent, parent)
        if r.get("protect"):
            entry["protect"] = True
        if r.get("retainOnDelete"):
            entry["retainOnDelete"] = True
        entry["dependencies"] = [renamed.get(u, u) for u in r.get("dependencies", [])]
        entry["propertyDependencies"] = {
            k: [renamed.get(u, u) for u in v] for k, v in r.get("propertyDependencies", {}).items()
        }
        out.append(entry)
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-11-01T00:00:00Z", "magic": "x", "version": "v3.200.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:abc"}},
            "resources": out,
        },
    }


def _digest(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("sha256:") and len(value) == 71


def _wrapped(value: Any) -> Any:
    """A plan's asset (`sha256:<hex>`) or archive of assets (a dict of them) as an envelope."""
    if _digest(value):
        return asset(value)
    if isinstance(value, dict) and value and all(_digest(v) for v in value.values()):
        return archive(value)
    return value


def real_fixture(mock_form: dict[str, Any], plan: Mapping[str, Any]) -> dict[str, Any]:
    """The mock-form checkpoint fixture with its URNs in the engine's form, and the components
    its resources descend from added, so that every parent link is within the document, as in a
    real export. A resource's place is read from `plan` (the offline plan of the same spec); one
    the plan no longer holds is placed under the plan's one component of its parent's type."""
    qualified = qualified_types(plan["resources"])
    by_name = {(r["type"], r["name"]): r for r in plan["resources"]}
    of_type: dict[str, list[str]] = {}
    for r in plan["resources"]:
        of_type.setdefault(r["type"], []).append(qualified[r["urn"]])
    doc = copy.deepcopy(mock_form)
    items = doc["deployment"]["resources"]
    stack = next(r for r in items if r["type"] == STACK_TYPE)
    prefix = stack["urn"].split(STACK_TYPE)[0]
    out = [stack]
    written: set[str] = set()

    def place(mock_urn: str) -> tuple[str, str | None]:
        """A mock-form URN's engine URN, and the mock-form URN of its parent (None: the stack)."""
        types, name = mock_urn.split("::")[2].split("$"), mock_urn.rsplit("::", 1)[-1]
        planned = by_name.get((types[-1], name))
        if planned is not None:
            parent = planned.get("parent")
            above = next((r for r in plan["resources"] if r["urn"] == parent), None)
            mock_parent = None if above is None or above["type"] == STACK_TYPE else above["urn"]
            return f"{prefix}{qualified[planned['urn']]}::{name}", mock_parent
        if len(types) == 1 or types[0] == STACK_TYPE:
            return f"{prefix}{types[-1]}::{name}", None
        (outer,) = of_type[types[0]]  # the plan's one component of the parent's type
        parent_name = next(r["name"] for r in plan["resources"] if qualified[r["urn"]] == outer)
        mock_parent = f"{prefix}{'$'.join(outer.split('$')[-2:])}::{parent_name}"
        return f"{prefix}{outer}${types[-1]}::{name}", mock_parent

    def add(item: dict[str, Any], mock_urn: str) -> str:
        if item.get("parent") and item["parent"] != stack["urn"]:  # named in the document: placed under it
            component = {"custom": False, "type": item["parent"].split("::")[2].split("$")[-1]}
            parent = add(component, item["parent"])
            urn = f"{parent.split('::')[2]}${item['type']}::{mock_urn.rsplit('::', 1)[-1]}"
            urn = prefix + urn
        else:
            urn, mock_parent = place(mock_urn)
            parent = stack["urn"] if mock_parent is None else add({"custom": False}, mock_parent)
        if urn not in written:
            written.add(urn)
            kind = item.get("type") or mock_urn.split("::")[2].split("$")[-1]
            out.append(item | {"urn": urn, "type": kind, "parent": parent})
        return urn

    for item in items:
        if item is stack or item["type"].startswith("pulumi:providers:"):
            if item is not stack:
                out.append(item)
            continue
        add(item, item["urn"])
    doc["deployment"]["resources"] = out
    return doc


def main() -> None:
    from groundlink.engine import plan

    noaa20 = plan(Path(__file__).resolve().parents[1] / "specs" / "noaa20.yaml", "aws").to_json()
    mock_form = json.loads((FIXTURES / "noaa20-aws.checkpoint.json").read_text())
    target = FIXTURES / "noaa20-aws.real.checkpoint.json"
    target.write_text(json.dumps(real_fixture(mock_form, noaa20), indent=1) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
