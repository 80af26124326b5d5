"""Joining a resource to the side resources that configure it.

AWS splits a bucket into a bucket plus side resources (public access block,
policy, encryption...) that name it by reference. Under `pulumi preview` the
bucket's name is usually unknown, so the join follows what the engine knows:
the side resource's property dependencies for that input first, then an equal
known value (name, id or ARN), then its only dependency of the target's type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .program_inputs import inputs_of
from .props import UNKNOWN, as_list, dependencies_of, get, is_seq
from .tokens import is_type


def given(resource: Any, key: str) -> Any:
    """`resource`'s `key` as a stack rule sees it: its output, or, where the outputs leave it out,
    the input the program gave it (Analyze's). azure-native keeps no path parameter among a
    resource's outputs (a diagnostic setting's `resourceUri`): at `pulumi up` a setting whose
    `resourceUri` was built from its account's id named nothing, and its blob service was said to
    have no diagnostic setting."""
    value = get(resource.props, key)
    if value is None:
        inputs = inputs_of(resource)
        if inputs is not None:
            value = get(inputs, key)
    return value


def refers_to(side: Any, key: str, target: Any, target_keys: tuple[str, ...], *, as_input: bool = False) -> bool:
    """Whether `side`'s input `key` names `target`: by its known value, equal to one of the
    target's `target_keys` (what the cloud reads); while the value or the target's keys are not
    known, by the engine's property dependency, or else by the side's only dependency of the
    target's type. The value decides when known: an id built from another resource's output
    (`account.id.apply(lambda i: f"{i}/blobServices/default")`) depends on the account, and names
    its blob service. `as_input`: the value as the program gave it, for a key the side's outputs
    hold with another meaning (an azure-native child's `name` is its parent's among its inputs, a
    path parameter, and its own among its outputs: `scm` for a WebAppScmAllowed)."""
    inputs = inputs_of(side) if as_input else None
    value = get(inputs, key) if inputs is not None else given(side, key)
    if isinstance(value, str) and value:
        names = [get(target.props, k) for k in target_keys]
        fold = is_azure(target.resource_type)
        if any(same_reference(value, n, fold_names=fold) for n in names if isinstance(n, str)):
            return True
        if not any(n is UNKNOWN for n in names):
            return False
        # the target's own names are not known yet (a preview that creates or replaces it): nothing
        # to compare the value with, so the engine's record of what the input was built from decides
    linked = dependencies_of(side, key)
    if linked:
        return any(dep.urn == target.urn for dep in linked)
    if value is UNKNOWN or value is None:
        same_type = [d for d in getattr(side, "dependencies", None) or [] if d.resource_type == target.resource_type]
        return len(same_type) == 1 and same_type[0].urn == target.urn
    return False


def same_reference(value: str, name: str, *, fold_names: bool = False) -> bool:
    """Whether two references name the same resource: equal, or, for Azure Resource Manager ids
    (`/subscriptions/...`) and, with `fold_names`, an Azure resource's bare name, equal without
    regard to case or a trailing slash ("Resource and resource group names are case-insensitive
    unless specifically noted ... Always perform a case-insensitive comparison of names",
    Microsoft Learn, resource naming rules). A diagnostic setting naming its workspace as
    `.../resourcegroups/...` was said to be missing; a second blob service of an account named in
    capitals was no second writer of its settings."""
    if value == name:
        return True
    if fold_names or (value[:1] == "/" and value.casefold().startswith("/subscriptions/")):
        return value.rstrip("/").casefold() == name.rstrip("/").casefold()
    return False


def is_azure(type_token: str) -> bool:
    """An Azure resource (azure-native or the classic provider), whose names compare without case."""
    return type_token.startswith(("azure-native:", "azure:"))


def name_key(resource: Any, key: str) -> str:
    """`resource`'s input `key` naming its parent, as the cloud compares it: an Azure name without case
    (read as `given` reads it: azure-native leaves a path parameter out of the outputs)."""
    value = str(given(resource, key))
    return value.casefold() if is_azure(resource.resource_type) else value


def sides(
    resources: Iterable[Any],
    tokens: tuple[str, ...],
    key: str,
    target: Any,
    target_keys: tuple[str, ...],
    *,
    as_input: bool = False,
) -> list[Any]:
    """Resources of `tokens` whose `key` input refers to `target` (`refers_to`)."""
    return [
        r
        for r in resources
        if is_type(r.resource_type, tokens) and refers_to(r, key, target, target_keys, as_input=as_input)
    ]


def second_writers(
    resources: list[Any],
    targets: tuple[str, ...],
    kinds: Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]],
    key: str,
    target_keys: tuple[str, ...],
) -> Iterator[tuple[Any, str]]:
    """(target, "N <kind> resources (names)") for each resource of `targets` written more than once in
    a setting its cloud keeps one of (a bucket's policy, an account's `default` blob service, a
    queue's redrive policy): by side resources of the kind's `tokens`, or by one of them and the
    target's own input of that setting (a kind's third member: `policy` on an S3 bucket or SQS
    queue). Each write replaces the other's, and which stays depends on the order they are
    applied."""
    for target in of_type(resources, targets):
        for kind, tokens, inline in kinds:
            found = sides(resources, tokens, key, target, target_keys)
            own = next((name for name in inline if _written(target, name)), None)
            names = ", ".join(sorted(r.name for r in found))
            if own is not None and found:
                plural = "s" if len(found) > 1 else ""
                yield target, f"its own {own} input and {len(found)} {kind} resource{plural} ({names})"
            elif len(found) > 1:
                yield target, f"{len(found)} {kind} resources ({names})"


def _written(target: Any, name: str) -> bool:
    """Whether the target's own input `name` writes its setting: set and not empty. Judged on the
    inputs the program gave it (policies/program_inputs.py), where the analysis had them: its outputs hold
    the provider's values too, and at `pulumi up` every bucket and the alert topic were reported
    as written twice. Otherwise on the outputs: a value not known yet is written where the
    program set it from another resource's outputs, which the engine records as that input's
    dependencies. Without any it is the provider's own output: S3 Bucket.policy, versioning and
    encryption, SQS Queue.policy and SNS Topic.policy are computed, unknown in the first preview of
    a bucket or queue whose program sets none, and were taken for a second writer of every
    BucketPolicy and QueuePolicy beside them."""
    inputs = inputs_of(target)
    if inputs is not None:
        # read through `get`: the SDK's proxy raises on an unknown value, which ended the whole
        # rule in an advisory "can't run policy during preview" and hid every violation of it
        given = get(inputs, name)
        if given is UNKNOWN:
            return True  # an input the program set, known once its sources exist
        if given is None:
            return False
        return len(given) > 0 if isinstance(given, (str, Mapping)) or is_seq(given) else True
    value = get(target.props, name)
    if value is UNKNOWN:
        return bool(dependencies_of(target, name))
    if isinstance(value, (str, Mapping)) or is_seq(value):
        return len(value) > 0
    return value is not None


def of_type(resources: Iterable[Any], tokens: tuple[str, ...]) -> list[Any]:
    return [r for r in resources if is_type(r.resource_type, tokens)]


def private_endpoint_reaches(target: Any, endpoints: Iterable[Any], group: str) -> bool:
    """Whether one of `endpoints` (private endpoints of the stack) connects to `target`'s `group`
    sub-resource: by the target's id, or, while that id or the connection's is unknown (a
    preview), by the engine's dependencies of the endpoint's connections on the target. A
    connection or sub-resource not known yet may be the one: it is not held against the target."""
    target_id = get(target.props, "id")
    for endpoint in endpoints:
        depends = [d.urn for d in getattr(endpoint, "dependencies", None) or []]
        # a connection the target's owner approves by hand (manualPrivateLinkServiceConnections:
        # the network's admin cannot approve it) is an endpoint to the target all the same
        for field in CONNECTION_FIELDS:
            linked = dependencies_of(endpoint, field)
            for connection in as_list(get(endpoint.props, field)):
                if _connects(connection, group, target, target_id, linked, depends):
                    return True
    return False


CONNECTION_FIELDS = ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")


def _connects(connection: Any, group: str, target: Any, target_id: Any, linked: list[Any], depends: list[str]) -> bool:
    """Whether one private link service connection reaches `target`'s `group` sub-resource: by the
    target's id, or, while either id is unknown, by the endpoint's dependencies on the target."""
    groups = as_list(get(connection, "groupIds"))
    if UNKNOWN not in groups and group.casefold() not in [str(g).casefold() for g in groups]:
        return False
    linked_to = get(connection, "privateLinkServiceId")
    if isinstance(linked_to, str) and linked_to and isinstance(target_id, str) and target_id:
        return same_reference(linked_to, target_id)  # ARM resource ids compare without case
    return target.urn in {d.urn for d in linked} | set(depends)
