"""The AWS mission stack: the root component for one mission on AWS."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import OUTPUT_KEYS, RESOURCE_TAGS, CloudBlueprint

from ..base import (
    DefaultTags,
    MissionComponent,
    check_blueprint,
    check_provider_packages,
    check_providers_cover,
    check_stack_region,
    explicit_packages,
    merged_layer_outputs,
)
from .analytics import AwsCatalog, AwsQuery, AwsTelemetry
from .events import AwsEvents
from .ground import AwsGroundSegment
from .observability import AwsObservability
from .processing import AwsProcessing
from .security import AwsSecurity
from .storage import AwsStorage, check_storage_inputs, replicas_unreached

# The providers of an AWS stack that add their `defaultTags` to every resource they create.
DEFAULT_TAG_PACKAGES = ("aws", "aws-native")


def provider_default_tags(opts: pulumi.ResourceOptions | None) -> DefaultTags:
    """The keys of the stack's `aws:defaultTags` and `aws-native:defaultTags` (`{"tags": {...}}`),
    each package's apart: each provider merges its own into the tags of every resource it
    creates (pulumi-aws `tags_all`, "including those inherited from the provider default_tags"),
    and AWS counts the merged set against its limit (50 a resource, 10 an S3 object), so a
    mission whose spec fills them would fail at `pulumi up`. A package whose provider `opts`
    names explicitly is the caller's, its tags unknown here; the replica provider built from
    the stack config (storage.stack_provider_settings) carries `aws:defaultTags` as the stack's
    provider does. The components' resources are pulumi-aws's unless they say (`tags_of`)."""
    explicit = explicit_packages(opts)
    by_package: dict[str, frozenset[str]] = {}
    for package in DEFAULT_TAG_PACKAGES:
        if package in explicit:
            continue
        value = pulumi.Config(package).get_object("defaultTags")
        tags = value.get("tags") if isinstance(value, dict) else None
        if isinstance(tags, dict) and tags:
            by_package[package] = frozenset(tags)
    return DefaultTags(by_package, "aws")


def check_default_tag_keys(default_tags: DefaultTags) -> None:
    """A provider's default tags go on every resource of its package, and two of groundlink's tag
    keys mean something only where groundlink sets them (RESOURCE_TAGS): outside-vpc-writer on
    every role would let each one past the private network's bucket policies, where only the
    roles writing from AWS's network carry it. The spec's `mission.tags` may not hold them
    (validate refuses them); `aws:defaultTags` reached every role all the same."""
    for package, keys in sorted(default_tags.by_package.items()):
        taken = sorted(key for key in keys if key.lower() in RESOURCE_TAGS)
        if taken:
            raise pulumi.RunError(
                f"{package}:defaultTags: {taken[0]!r} is a tag groundlink sets on some resources only, where a "
                "default tag on every resource would change its meaning (outside-vpc-writer on every role admits "
                f"them all past the private network's bucket policies); not allowed: {', '.join(RESOURCE_TAGS)}, "
                "in any case"
            )


def _check_providers(
    blueprint: CloudBlueprint, opts: pulumi.ResourceOptions | None, replica_provider: aws.Provider | None
) -> None:
    """What the providers given must do for this blueprint, refused before anything registers
    (a refusal from inside a layer left the resources registered before it to `pulumi up`, which
    created them and then failed): the replicas of a geo stack go to `blueprint.storage`'s replica
    region, which no provider of the primary region reaches (the providers' packages are
    `check_providers_cover`'s)."""
    storage = blueprint.storage
    check_storage_inputs(blueprint.mission, storage)
    geo = storage.redundancy == "geo"
    if replica_provider is not None:
        if not isinstance(replica_provider, pulumi.ProviderResource) or replica_provider.package != "aws":
            # the SDK hands a resource no provider of another package, without a word: the
            # replicas would land in the primary region, beside what they are to outlive
            given = getattr(replica_provider, "package", None) or type(replica_provider).__name__
            raise pulumi.RunError(
                f"replica_provider: {given!r} is not an aws provider; pass "
                "replica_provider=aws.Provider(..., region=<the spec's replica region>)"
            )
        if not geo:
            raise pulumi.RunError(
                f"replica_provider: given for a stack of redundancy {storage.redundancy!r}, which has no replicas; "
                "leave it out, or use storage.redundancy: geo"
            )
    if geo and "aws" in explicit_packages(opts) and replica_provider is None:
        # a provider has one region: the program's would put the replicas beside the sources,
        # and one built from the stack config would drop its identity and guards
        raise replicas_unreached(str(storage.replica_region))


def provider_packages(blueprint: CloudBlueprint) -> tuple[str, ...]:
    """The provider packages the stack's resources are of: aws-native for the AWS Ground Station
    resources of a managed station (it exists only there), pulumi-aws for everything else."""
    return ("aws", "aws-native") if blueprint.ground.station else ("aws",)


class MissionStack(MissionComponent):
    """Renders a blueprint on AWS and exposes the output keys shared with Azure.

    Layers are built in data-flow order: keys and network, stores, telemetry, ground
    segment (it needs the stores and the stream), events, analytics, observability.
    Each layer gets its own inputs from the blueprint and its siblings' outputs.
    """

    TOKEN = "groundlink:index:AwsMissionStack"

    def __init__(
        self,
        name: str,
        blueprint: CloudBlueprint,
        opts: pulumi.ResourceOptions | None = None,
        *,
        replica_provider: aws.Provider | None = None,
    ):
        """`replica_provider`: with storage.redundancy: geo and an aws provider given in `opts`,
        the provider of the replica region, with the same identity (a provider has one region).
        Without a provider given, the replica's is built from the stack's `aws:*` config."""
        mission = check_blueprint("aws", name, blueprint).mission
        check_provider_packages("aws", opts)
        check_providers_cover("aws", opts, provider_packages(blueprint))
        check_stack_region("aws", mission.region, opts, provider_packages(blueprint))
        _check_providers(blueprint, opts, replica_provider)
        default_tags = provider_default_tags(opts)
        check_default_tag_keys(default_tags)
        super().__init__(name, mission, opts)
        self.default_tags = default_tags
        for capability, reason in blueprint.gaps:  # what this cloud leaves out, decided by the blueprint
            self.gap(capability, reason)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        security = AwsSecurity(
            self.child_name("security"), mission, blueprint.security, account=account, opts=self.opts()
        )
        key = security.key
        storage = AwsStorage(
            self.child_name("storage"),
            mission,
            blueprint.storage,
            key=key,
            account=account,
            network=security.network,
            replica_provider=replica_provider,
            opts=self.opts(),
        )
        telemetry = None
        if blueprint.analytics.telemetry:
            telemetry = AwsTelemetry(
                self.child_name("telemetry"),
                mission,
                blueprint.analytics,
                key=key,
                products=storage.products,
                account=account,
                opts=self.opts(),
            )
        ground = AwsGroundSegment(
            self.child_name("ground"),
            mission,
            blueprint.ground,
            account=account,
            raw=storage.raw,
            key=key,
            telemetry_stream_arn=telemetry.stream.arn if telemetry else None,
            network=security.network,
            opts=self.opts(),
        )
        events = AwsEvents(
            self.child_name("events"),
            mission,
            blueprint.events,
            key=key,
            raw=storage.raw,
            mission_profiles=[satellite.profile.arn for satellite in ground.profiles],
            opts=self.opts(),
        )
        processing = None
        if blueprint.processing.enabled and storage.raw is not None:
            processing = AwsProcessing(
                self.child_name("processing"),
                mission,
                blueprint.processing,
                account=account,
                key=key,
                queue=events.queue,
                raw=storage.raw,
                products=storage.products,
                network=security.network if blueprint.security.private else None,
                artifacts=storage.artifacts,
                station=blueprint.events.station,
                opts=self.opts(),
            )
        catalog = query = None
        if blueprint.analytics.catalog:
            catalog = AwsCatalog(
                self.child_name("catalog"),
                mission,
                blueprint.analytics,
                key=key,
                raw=storage.raw,
                products=storage.products,
                opts=self.opts(),
            )
        if storage.results is not None:
            query = AwsQuery(
                self.child_name("query"),
                mission,
                blueprint.analytics,
                key=key,
                results=storage.results,
                account=account,
                opts=self.opts(),
            )
        observability = AwsObservability(
            self.child_name("observability"),
            mission,
            blueprint.observability,
            account=account,
            key=key,
            dead_letter_queue_name=events.dead_letter.name,
            queue_name=events.queue.name,
            replications=storage.replica.watched if storage.replica else (),
            undelivered=events.undelivered,
            processing_log_group=processing.log_group.name if processing else None,
            opts=self.opts(),
        )

        exports: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
        exports.update(
            mission=mission.name,
            cloud="aws",
            raw_store_uri=storage.raw.uri if storage.raw else None,
            products_store_uri=storage.products.uri,
            query_results_uri=storage.results.uri if storage.results else None,
            catalog=catalog.database.name if catalog else None,
            query_endpoint=query.workgroup.name if query else None,
            telemetry_stream=telemetry.stream.arn if telemetry else None,
            event_queue=events.queue.url,
            ground_segment_ids=ground.ids,
            key_ids=_key_ids(security, storage),
        )
        self.exports = exports
        self.layer_outputs = merged_layer_outputs(
            security, storage, ground, events, processing, catalog, query, telemetry, observability
        )
        self.register_outputs(exports)


def _key_ids(security: AwsSecurity, storage: AwsStorage) -> list[pulumi.Output[str]] | None:
    """Every key the stack creates: the mission key, and with storage.redundancy: geo the
    replica region's key (None without customer-managed keys)."""
    if security.key_ids is None:
        return None
    replica_key = storage.replica.key if storage.replica else None
    return [*security.key_ids, *([replica_key.arn] if replica_key else [])]
