"""What every groundlink component shares: its token, its mission inputs, child options,
and the record of what it realizes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pulumi

from groundlink.blueprint import (
    GROUNDLINK_TAGS,
    LAYER_OUTPUTS,
    STATEFUL_CAPABILITIES,
    CloudBlueprint,
    MissionInputs,
    Realization,
)
from groundlink.clouds import PROVIDER_REGION_KEYS, REGION_FIELDS
from groundlink.limits import TAGS_PER_RESOURCE_MAX, TagKeyRule

# Registries that need credentials to pull from: an Amazon ECR private registry
# (<account>.dkr.ecr.<region>.amazonaws.com, Amazon ECR user guide "Private registry concepts")
# and an Azure Container Registry (<name>.azurecr.io, whose anonymous pull is off by default:
# Microsoft Learn "Make your container registry content publicly available").
PRIVATE_REGISTRIES = (
    (r"\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?", "an Amazon ECR private registry", ""),
    (r"\d{12}\.dkr-ecr(-fips)?\.[a-z0-9-]+\.on\.aws", "an Amazon ECR private registry", ""),  # dual-stack
    (r"[a-z0-9]+\.azurecr\.(io|us|cn)", "an Azure Container Registry", " unless its anonymous pull is on"),
)


R = TypeVar("R", bound=pulumi.Resource)


@dataclass(frozen=True)
class DefaultTags:
    """The keys of the tags each provider package of a stack puts on every resource of its own
    beside the resource's tags (`aws:defaultTags` on pulumi-aws resources only,
    `aws-native:defaultTags` on aws-native's), and the package a component's resources are of
    unless said otherwise: none where a cloud's providers add none."""

    by_package: dict[str, frozenset[str]] = field(default_factory=dict)
    package: str = ""

    def of(self, package: str | None) -> tuple[frozenset[str], str]:
        """The default tag keys of `package` (the components' own when None), and their setting."""
        name = self.package if package is None else package
        return self.by_package.get(name, frozenset()), f"{name}:defaultTags"


# The provider packages a mission's resources are of.
MISSION_PACKAGES = ("aws", "aws-native", "azure-native")


def explicit_packages(opts: pulumi.ResourceOptions | None) -> set[str]:
    """The packages (`aws`, `aws-native`, `azure-native`) whose provider `opts` names, in
    either form the SDK takes: `provider`, or `providers` as a list or a package-keyed dict, or
    that its `parent` passes down (a platform component holding the providers: every resource
    under it takes them, so the stack config's region reaches none of them)."""
    if not isinstance(opts, pulumi.ResourceOptions):  # None, or a dict: the SDK says what it takes
        return set()
    providers = opts.providers
    named = list(providers.values()) if isinstance(providers, dict) else list(providers or [])
    if opts.provider is not None:
        named.append(opts.provider)
    inherited = set()
    if isinstance(opts.parent, pulumi.Resource):
        inherited = {package for package in MISSION_PACKAGES if opts.parent.get_provider(f"{package}::") is not None}
    return {p.package for p in named if isinstance(p, pulumi.ProviderResource)} | inherited


def check_blueprint(cloud: str, name: str, blueprint: object) -> CloudBlueprint:
    """The root component renders its own cloud's blueprint under its mission's name, checked
    before anything registers: the other cloud's blueprint was refused only by a region message
    that named the wrong field, and a second root of one mission under another name claimed the
    same buckets, vaults and accounts, which only `pulumi up` would refuse, part-way through."""
    if not isinstance(blueprint, CloudBlueprint):
        raise pulumi.RunError(
            f"MissionStack takes a CloudBlueprint (build_blueprint(spec).for_cloud({cloud!r})), "
            f"not {type(blueprint).__name__}"
        )
    if blueprint.cloud != cloud:
        raise pulumi.RunError(
            f"the {cloud} MissionStack was given the {blueprint.cloud} blueprint; "
            f"pass build_blueprint(spec).for_cloud({cloud!r})"
        )
    if name != blueprint.mission.name:
        raise pulumi.RunError(
            f"MissionStack {name!r} renders mission {blueprint.mission.name!r}: the physical names come from "
            f"the mission, so name the component {blueprint.mission.name!r} (one root per mission and cloud)"
        )
    return blueprint


# The packages each cloud's stack creates resources of: a provider of any other package reaches
# none of them (the SDK hands a resource only its own package's provider, without a word).
CLOUD_PACKAGES = {"aws": ("aws", "aws-native"), "azure": ("azure-native",)}


def check_provider_packages(cloud: str, opts: pulumi.ResourceOptions | None) -> None:
    """A provider `opts` names of a package the stack does not use is refused: a classic
    `pulumi_azure` provider (package `azure`) given for another subscription left every resource
    on the default azure-native provider, the CLI's credentials and subscription."""
    foreign = sorted(explicit_packages(opts) - set(CLOUD_PACKAGES[cloud]))
    if foreign:
        raise pulumi.RunError(
            f"the provider given is of package {foreign[0]!r}, which no resource of the {cloud} stack uses; pass a "
            f"provider of {' or '.join(repr(p) for p in CLOUD_PACKAGES[cloud])}"
        )


# How a program makes each package's provider, for the line that asks for one.
PROVIDER_CLASSES = {"aws": "aws.Provider", "aws-native": "aws_native.Provider", "azure-native": "azure_native.Provider"}
# What a package's resources are in a stack, where not all of them are.
PACKAGE_RESOURCES = {"aws-native": "the AWS Ground Station resources (aws-native's)"}


def check_providers_cover(cloud: str, opts: pulumi.ResourceOptions | None, used: Sequence[str]) -> None:
    """Providers given for some of the packages the stack's resources use must be given for all
    of them: the others would deploy with the default provider's credentials and region, two
    identities and perhaps two accounts in one stack. `used`: the packages of this stack's
    resources (`provider_packages` of the cloud's mission module), which a spec decides: an AWS
    stack with a managed ground station uses aws-native too. A provider of one of the cloud's
    packages that this stack does not use is no harm (a platform program passing both AWS
    providers to every mission)."""
    explicit = explicit_packages(opts) & set(CLOUD_PACKAGES[cloud])
    missing = [package for package in used if package not in explicit]
    if explicit and missing:
        what = PACKAGE_RESOURCES.get(missing[0], f"{missing[0]} resources")
        wanted = ", ".join(f"{PROVIDER_CLASSES[package]}(...)" for package in used)
        raise pulumi.RunError(
            f"the stack was given no {missing[0]} provider: {what} would deploy with the default provider's "
            f"credentials and region, the rest with the provider given; pass providers=[{wanted}] with the same "
            "identity and region"
        )


def check_stack_region(cloud: str, region: str, opts: pulumi.ResourceOptions | None, used: Sequence[str]) -> None:
    """The stack's provider region must be the spec's, or resources would land elsewhere, with
    the spec's region still written into their endpoints and ARNs. Checked by the root
    component, so a program of one's own that renders a MissionStack is checked as
    `groundlink.program` is; a package whose provider `opts` names explicitly is the caller's
    to match, the others are still checked, and only those the stack's resources use (`used`):
    a partner-fed AWS stack given its own aws provider for another region was refused for the
    stack config's `aws-native:region`, a package none of its resources is of."""
    field = REGION_FIELDS[cloud]
    explicit = explicit_packages(opts)
    for full_key in PROVIDER_REGION_KEYS[cloud]:
        namespace, key = full_key.split(":")
        if namespace in explicit or namespace not in used:  # the caller's provider, or no resource of it
            continue
        configured = pulumi.Config(namespace).get(key)
        if configured is None:  # the provider would fall back to its environment's region
            raise pulumi.RunError(
                f"{namespace}:{key}: not set in the stack config; set it to the spec's {field} "
                f"({region!r}): pulumi config set {full_key} {region}"
            )
        if configured != region:
            raise pulumi.RunError(
                f"{namespace}:{key}: {configured!r} differs from the spec's "
                f"{field} ({region!r}); set it to {region!r} or edit the spec"
            )


def merged_layer_outputs(*components: MissionComponent | None) -> dict[str, Any]:
    """Every layer's keys (LAYER_OUTPUTS), from the layer components a root built: what a
    program reads from the root's `layer_outputs`, the same keys on both clouds, None where the
    spec builds no component for the key (a root keeps its layers in local names, and the
    network, dead-letter queue, function, budget... were reachable only through the SDK's
    private child list)."""
    merged: dict[str, Any] = dict.fromkeys(key for keys in LAYER_OUTPUTS.values() for key in keys)
    for component in components:
        for key, value in getattr(component, "layer_outputs", {}).items():
            if value is not None or merged[key] is None:
                merged[key] = value
    return merged


def _first_five(names: Sequence[str]) -> str:
    """Names for a warning line: the first five, and how many more (a line naming each of 4,000
    downlinks was 60 KB)."""
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


class MissionComponent(pulumi.ComponentResource):
    """A component that renders part of a blueprint.

    Children get `parent=self`; stateful children (stores, keys, catalogs) get
    `protect` and `retain_on_delete` from the mission's data protection, set on the
    child itself because the engine, not the SDK, would inherit retain-on-delete.

    Capabilities travel with the components: `realize`, `gap` and `warn` write to
    the `realization` of the mission tree, which the root creates and every child
    takes from its parent component. The offline engine reads it from the root.
    """

    TOKEN = "groundlink:index:MissionComponent"
    # The layer whose outputs this component registers (groundlink.blueprint.LAYER_OUTPUTS: the
    # same keys on every cloud); None for the root and for a building block inside a layer.
    LAYER: str | None = None

    def __init__(self, name: str, mission: MissionInputs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(self.TOKEN, name, None, opts)
        parent = opts.parent if opts else None
        self.realization: Realization = parent.realization if isinstance(parent, MissionComponent) else Realization()
        # The keys of the tags the stack's providers add to every resource they create (the AWS
        # root reads them: aws.mission.provider_default_tags), and the settings they came from.
        self.default_tags: DefaultTags = parent.default_tags if isinstance(parent, MissionComponent) else DefaultTags()
        self.mission = mission
        self.prefix = name

    def opts(self, stateful: bool = False, store_setting: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
        """A child's options. A store is protected and retained when the spec says so
        (`data_protection: strict`); otherwise its protection is left to Pulumi, which takes a
        child's from its parent: set to False, it dropped the `protect=True` a program gave the
        mission on the buckets and keys alone, while every role under them kept it.

        `store_setting`: a setting a retained store needs as much as its data (a bucket's public
        access block, policy, default key, versioning and lifecycle; the identity a storage
        account reaches its key with). Retained with the store, not protected: a teardown that
        keeps the store (`pulumi state unprotect --all`, then `pulumi destroy`) deleted them and
        left the kept store open to public policies, without expiry, or unable to read its own
        data (a storage account whose key identity is gone answers 403). Each exists as long as
        its store does, so no spec edit removes one that retention would leave behind."""
        if stateful and self.mission.protected:
            kwargs.setdefault("protect", True)
            kwargs.setdefault("retain_on_delete", True)
        if store_setting and self.mission.protected:
            kwargs.setdefault("retain_on_delete", True)
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def holder_opts(self, capability_id: str, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of the resource that holds `capability_id`'s data: protected like every
        store when the blueprint counts that capability as stateful."""
        return self.opts(stateful=capability_id in STATEFUL_CAPABILITIES, **kwargs)

    def register_outputs(self, outputs: Any) -> None:
        """A layer component registers only its layer's keys (the contract the other cloud keeps
        too), and keeps them in `layer_outputs` for the program that built it: a Pulumi program
        cannot read a component's registered outputs back, and each cloud's attributes are its
        own (`storage.raw.uri` on AWS, `storage.raw_uri` on Azure)."""
        if self.LAYER is not None and isinstance(outputs, dict):
            extra = sorted(set(outputs) - set(LAYER_OUTPUTS[self.LAYER]))
            if extra:
                raise ValueError(f"{type(self).__name__} registers {extra}, not {self.LAYER} outputs")
            self.layer_outputs: dict[str, Any] = dict(outputs)
        super().register_outputs(outputs)

    def child_name(self, *parts: str) -> str:
        return "-".join((self.prefix, *parts))

    @property
    def tags(self) -> dict[str, str]:
        """The mission's tags, within the 50 a resource takes beside its provider's default tags."""
        return self.tags_up_to(TAGS_PER_RESOURCE_MAX, "a resource")

    def tags_of(self, package: str) -> dict[str, str]:
        """`tags` for a resource of provider package `package` (aws-native's, among pulumi-aws's)."""
        return self.tags_up_to(TAGS_PER_RESOURCE_MAX, "a resource", package=package)

    def tags_up_to(
        self,
        most: int,
        what: str,
        unsupported_keys: TagKeyRule | None = None,
        *,
        own: dict[str, str] | None = None,
        package: str | None = None,
    ) -> dict[str, str]:
        """The tags of a resource that takes at most `most` (an S3 object, a Key Vault key, an
        Azure storage account, a private DNS zone): the spec may hold up to 50, which the cloud
        refuses there. groundlink's own come first (the pack requires them), then the spec's extra
        tags in their order while they fit; the plan warns of those left off, naming them. A key
        the resource does not take (`unsupported_keys`: a private DNS zone drops a key with a colon
        without an error, so the tag would show as a change at every update, and takes no key
        starting with a digit; groundlink/limits.py) is left off too, and said so."""
        own = own or {}
        tags = list(self.mission.tags.items())
        dropped = [key for key, _ in tags if unsupported_keys is not None and unsupported_keys.refuses(key)]
        if dropped and unsupported_keys is not None:
            self.warn(
                f"mission.tags: {what} takes no tag {unsupported_keys.said}, so it is left off there: "
                f"{_first_five(dropped)}"
            )
            tags = [(key, value) for key, value in tags if key not in dropped]
        # A provider's default tag counts against the limit (the cloud sees the merged set, the
        # provider's `tags_all`) unless the resource's own tag of that key replaces it: one of
        # the mission's, or one of the resource's `own` (a VPC's `Name`), which take their room first.
        defaults, setting = self.default_tags.of(package)
        room = most - len(own) - len(defaults - own.keys())
        kept: dict[str, str] = {}
        left: list[str] = []
        for key, value in tags:
            free = key in defaults or key in own
            if free or room > 0:
                kept[key] = value
                room -= not free
            else:
                left.append(key)
        most -= len(own)
        own_left = [key for key in left if key in GROUNDLINK_TAGS]
        if own_left:
            raise pulumi.RunError(
                f"{setting}: {len(defaults)} default tags leave {what}, which takes at most {most}, no room for "
                f"groundlink's own {_first_five(own_left)}; keep at most {most - len(GROUNDLINK_TAGS)} default tags "
                f"besides groundlink's ({', '.join(GROUNDLINK_TAGS)})"
            )
        if left:
            beside = f" beside the {len(defaults)} default tags of {setting}" if defaults else ""
            self.warn(
                f"mission.tags: {what} takes at most {most} tags{beside}: it carries groundlink's own, then the "
                f"spec's while they fit, not {_first_five(left)}"
            )
        return {**kept, **own}

    def tags_and(self, extra: dict[str, str], what: str) -> dict[str, str]:
        """The mission's tags and a resource's own (a VPC's `Name`), within the 50 a resource
        takes on either cloud: the spec's extra tags may already fill them, and EC2 refuses a VPC
        with a 51st at `pulumi up`. The spec's last tags give way (`tags_up_to`)."""
        return self.tags_up_to(TAGS_PER_RESOURCE_MAX, what, own=extra)

    def console_name(self, name: str) -> dict[str, str]:
        """The `Name` tag the AWS console lists a VPC or a subnet by, unless the spec's tags give
        every resource a `Name` of their own: the resource's own tags win (`tags_and`), and a
        spec's tag was replaced there without a word."""
        return {} if "Name" in self.mission.tags else {"Name": name}

    def realize(self, resource: R, *capability_ids: str) -> R:
        """Record that `resource` realizes the given capabilities; returns the resource."""
        self.realization.record(resource.pulumi_resource_type, resource.pulumi_resource_name, capability_ids)
        return resource

    def gap(self, capability_id: str, reason: str) -> None:
        """This cloud cannot realize `capability_id`, for `reason`: recorded for `groundlink plan`
        and compare, and said in `pulumi preview`/`up` as an info diagnostic of this component."""
        if capability_id not in self.realization.gaps:
            pulumi.log.info(f"gap: {capability_id}: {reason}", resource=self)
        self.realization.gap(capability_id, reason)

    def warn(self, message: str) -> None:
        """Recorded for `groundlink plan` and compare, and said once as a warning of this component
        in `pulumi preview`/`up`, which show no other part of the plan's warnings (the retired
        Azure Orbital resources, Synapse endpoints that admit nobody, tags left off...)."""
        if message not in self.realization.warnings:
            pulumi.log.warn(message, resource=self)
        self.realization.warn(message)

    def warn_if_no_frames(self, frames_delivered: bool) -> None:
        """Every downlink delivers DigIF samples: the processor, which extracts transfer frames,
        runs on every contact, finds none and writes empty products, billed all the same."""
        if not frames_delivered:
            self.warn(
                "processing.enabled: every downlink delivers digif (samples of the signal, no transfer frames): "
                "the processor finds no frames in any contact and writes empty products; set processing.enabled: "
                "false unless a demod_decode downlink is added"
            )

    def warn_if_randomized_frames_unread(self, links: tuple[str, ...]) -> None:
        """A station link whose preset's CADUs carry the CCSDS pseudo-randomizer, which the decode
        graph does not take off, read with `pseudo_randomized` off: every frame reads as corrupt
        (version 2 or 3), and the products hold none of the contact's data."""
        if links:
            self.warn(
                f"processing.capture.pseudo_randomized is off, but the preset of {_first_five(links)} sends CADUs "
                "that carry the CCSDS pseudo-randomizer, which AWS Ground Station's decode graph does not take off "
                "(docs/processing.md): every frame of those contacts reads as corrupt; set "
                "processing.capture.pseudo_randomized: true"
            )

    def warn_if_private_image(self, image: str | None) -> None:
        """The container jobs pull `image` with no registry credentials on either cloud (one image
        for both: a registry private to one cloud is out of the other's reach), so an image in a
        private registry fails every job at its first pull (AWS: CannotPullContainerError)."""
        host = (image or "").split("/", 1)[0].lower().split(":", 1)[0]  # without a port
        for pattern, registry, unless in PRIVATE_REGISTRIES:
            if re.fullmatch(pattern, host):
                self.warn(
                    f"processing.container_image is in {registry} ({host}), which the jobs are given no "
                    f"credentials to pull from{unless}: push it to a registry both clouds pull from "
                    "anonymously (docs/processing.md)"
                )
