"""AWS analytics: query results, catalog and streams encrypted with the
mission's customer-managed key, and query settings users cannot override."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import tokens as T
from .joins import of_type
from .props import UNKNOWN, aws_managed_key, get, is_false, is_true, missing
from .registry import resource_rule, stack_rule


@resource_rule(
    "aws-athena-workgroup-encryption",
    area="aws-analytics",
    severity="high",
    enforcement="mandatory",
    types=T.ATHENA_WORKGROUP,
    controls=("CKV_AWS_159", "CKV_AWS_82"),
    description="Athena workgroups enforce their configuration and encrypt query results with KMS (results in "
    "their S3 location, or Athena's managed query results, with a customer-managed key).",
    remediation="Set configuration.enforce_workgroup_configuration=True and configuration.result_configuration."
    "encryption_configuration={'encryption_option': 'SSE_KMS', 'kms_key_arn': <key>.arn} (managed query results: "
    "configuration.managed_query_results_configuration.encryption_configuration.kms_key=<key>.arn).",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require KMS (SSE_KMS/CSE_KMS with a key); false also accepts SSE_S3 (security.customer_managed_keys: false).",
        }
    },
)
def athena_workgroup_encryption(args: Any, report: Any) -> None:
    configuration = get(args.props, "configuration", default={})
    if configuration is UNKNOWN:
        return
    if is_false(get(configuration, "enforceWorkgroupConfiguration", default=True)):
        report("enforceWorkgroupConfiguration is false: clients can override encryption and limits")
    require = args.get_config().get("requireCustomerManagedKey", True)
    # managed query results live in Athena's own storage, encrypted with the key they name (else an
    # AWS owned key); a workgroup with them has no result location of its own to encrypt
    managed = get(configuration, "managedQueryResultsConfiguration")
    enabled = get(managed, "enabled")
    if enabled is UNKNOWN:
        return
    if is_true(enabled):
        key = get(managed, "encryptionConfiguration", "kmsKey")
        if key is UNKNOWN or not require:
            return
        if missing(key):
            report("managed query results are encrypted with an AWS owned key (no encryptionConfiguration.kmsKey)")
        elif aws_managed_key(key):
            report(f"managed query results use the AWS managed key {key}, not a customer-managed key")
        return
    option = get(configuration, "resultConfiguration", "encryptionConfiguration", "encryptionOption")
    if option is UNKNOWN:
        return
    if option == "SSE_S3" and not args.get_config().get("requireCustomerManagedKey", True):
        return
    key = get(configuration, "resultConfiguration", "encryptionConfiguration", "kmsKeyArn")
    if option not in ("SSE_KMS", "CSE_KMS"):
        report(f"query results are encrypted with {option or 'nothing'}, not SSE_KMS/CSE_KMS")
    elif missing(key):
        report(f"{option} without kmsKeyArn")
    elif aws_managed_key(key) and args.get_config().get("requireCustomerManagedKey", True):
        report(f"{option} with the AWS managed key {key}, not a customer-managed key")


@stack_rule(
    "aws-glue-catalog-encryption",
    area="aws-analytics",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AWS_94",),
    description="A stack with Glue catalog databases encrypts the Data Catalog at rest with KMS, with a "
    "customer-managed key (not alias/aws/glue, which Glue takes when no key is named), and its connection "
    "passwords.",
    remediation="Give the account's catalog one aws.glue.DataCatalogEncryptionSettings(data_catalog_encryption_settings="
    "{'encryption_at_rest': "
    "{'catalog_encryption_mode': 'SSE-KMS', 'sse_aws_kms_key_id': <key>.arn}, 'connection_password_encryption': "
    "{'return_connection_password_encrypted': True, 'aws_kms_key_id': <key>.arn}}): set these on the one the "
    "stack has, or add one where it has none (the catalog keeps one setting: a second resource is judged too).",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a customer-managed key; false also accepts alias/aws/glue, or no key named "
            "(security.customer_managed_keys: false).",
        }
    },
)
def glue_catalog_encryption(args: Any, report: Any) -> None:
    databases = of_type(args.resources, T.GLUE_DATABASE)
    if not databases:
        return
    settings = of_type(args.resources, T.GLUE_ENCRYPTION)
    if not settings:
        report(f"{len(databases)} Glue database(s) but no DataCatalogEncryptionSettings", databases[0].urn)
    for setting in settings:
        body = get(setting.props, "dataCatalogEncryptionSettings", default={})
        mode = get(body, "encryptionAtRest", "catalogEncryptionMode")
        if mode is not UNKNOWN and mode != "SSE-KMS" and mode != "SSE-KMS-WITH-SERVICE-ROLE":
            report(f"catalog encryption mode is {mode or 'DISABLED'}", setting.urn)
        elif mode is not UNKNOWN and args.get_config().get("requireCustomerManagedKey", True):
            key = get(body, "encryptionAtRest", "sseAwsKmsKeyId")
            if missing(key):  # Glue then encrypts with its AWS managed key
                report(
                    "the catalog is encrypted with the AWS managed key alias/aws/glue (no sseAwsKmsKeyId)", setting.urn
                )
            elif key is not UNKNOWN and aws_managed_key(key):
                report(
                    f"the catalog is encrypted with the AWS managed key {key}, not a customer-managed key", setting.urn
                )
        returned = get(body, "connectionPasswordEncryption", "returnConnectionPasswordEncrypted")
        if returned is not UNKNOWN and not is_true(returned):
            report("connection passwords are not encrypted", setting.urn)
        elif returned is not UNKNOWN and args.get_config().get("requireCustomerManagedKey", True):
            key = get(body, "connectionPasswordEncryption", "awsKmsKeyId")
            if missing(key):
                report(
                    "connection passwords are encrypted with the AWS managed key alias/aws/glue (no awsKmsKeyId)",
                    setting.urn,
                )
            elif key is not UNKNOWN and aws_managed_key(key):
                report(
                    f"connection passwords are encrypted with the AWS managed key {key}, not a customer-managed key",
                    setting.urn,
                )


@resource_rule(
    "aws-kinesis-cmk",
    area="aws-analytics",
    severity="high",
    enforcement="mandatory",
    types=T.KINESIS_STREAM,
    controls=("CKV_AWS_185",),
    description="Kinesis data streams encrypt with a customer-managed KMS key.",
    remediation="Set encryption_type='KMS' and kms_key_id=<mission key>.arn (not alias/aws/kinesis).",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a customer-managed key; false also accepts alias/aws/kinesis (security.customer_managed_keys: false).",
        }
    },
)
def kinesis_cmk(args: Any, report: Any) -> None:
    kind, key = get(args.props, "encryptionType"), get(args.props, "kmsKeyId")
    if kind is UNKNOWN:
        return
    if kind != "KMS":  # absent is NONE (pulumi-aws: "The default value is NONE"), whatever the key
        report(f"encryption type is {kind or 'NONE'}")
    elif key is UNKNOWN:  # the mission key's ARN in a first preview: judged again at `pulumi up`
        return
    elif not key:
        report("encrypted with no key, not a customer-managed key")
    elif aws_managed_key(key) and args.get_config().get("requireCustomerManagedKey", True):
        report(f"encrypted with {key}, not a customer-managed key")


def _s3_deliveries(props: Any) -> list[tuple[str, Any]]:
    """Where a delivery stream writes S3 objects: its S3 destination, the S3 backup of its extended
    S3 destination, and the S3 configuration every other destination (OpenSearch, HTTP endpoint,
    Redshift, Splunk...) backs its records up to. A backup without the mission's key passed."""
    found = []
    main = get(props, "extendedS3Configuration")
    if main:
        found.append(("S3 destination", main))
        if str(get(main, "s3BackupMode") or "").lower() == "enabled" and get(main, "s3BackupConfiguration"):
            found.append(("S3 backup of the S3 destination", get(main, "s3BackupConfiguration")))
    for key in sorted(props) if isinstance(props, Mapping) else ():
        nested = get(props, key, "s3Configuration")
        if key.endswith("Configuration") and key != "extendedS3Configuration" and nested and nested is not UNKNOWN:
            found.append((f"S3 backup of {key}", nested))
        # Redshift also backs its records up to an S3 configuration of their own when s3BackupMode
        # is Enabled ("If not set, no encryption will be used", pulumi-aws): it passed unread
        backup = get(props, key, "s3BackupConfiguration")
        enabled = str(get(props, key, "s3BackupMode") or "").lower() == "enabled"
        if key != "extendedS3Configuration" and enabled and backup and backup is not UNKNOWN:
            found.append((f"S3 backup of {key}'s records", backup))
    return found


FIREHOSE_SOURCES = ("kinesisSourceConfiguration", "mskSourceConfiguration")


@resource_rule(
    "aws-firehose-cmk",
    area="aws-analytics",
    severity="high",
    enforcement="mandatory",
    types=T.FIREHOSE,
    controls=("CKV_AWS_241",),
    description="Firehose delivery streams encrypt with a customer-managed KMS key: server-side encryption for "
    "direct puts, the S3 destination key (and every S3 backup's) when reading from a Kinesis stream or an MSK "
    "cluster (which carry their own keys, and take no server-side encryption).",
    remediation="Direct put: server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', "
    "'key_arn': <key>.arn}. Kinesis or MSK source: extended_s3_configuration.kms_key_arn=<key>.arn.",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a customer-managed key; false also accepts an AWS owned key for direct puts and the destination bucket's default encryption (security.customer_managed_keys: false).",
        }
    },
)
def firehose_cmk(args: Any, report: Any) -> None:
    require = args.get_config().get("requireCustomerManagedKey", True)
    # a stream that reads a Kinesis stream or an MSK cluster takes no server-side encryption
    # (Firehose StartDeliveryStreamEncryption: "only if it's a Firehose stream that uses DirectPut
    # as its source"): its destination's key is what encrypts
    sources = [get(args.props, key) for key in FIREHOSE_SOURCES]
    if UNKNOWN in sources:
        return
    if any(sources):
        for where, destination in _s3_deliveries(args.props):
            key = get(destination, "kmsKeyArn")
            if require and missing(key):
                report(f"{where} has no kmsKeyArn")
            elif require and aws_managed_key(key):
                report(f"{where} uses the AWS managed key {key}, not a customer-managed key")
        return
    sse = get(args.props, "serverSideEncryption", default={})
    if sse is UNKNOWN:
        return
    enabled, key_type, key = get(sse, "enabled"), get(sse, "keyType"), get(sse, "keyArn")
    if UNKNOWN in (enabled, key_type):
        return
    if not is_true(enabled):
        report("server-side encryption is off")
    elif require and (key_type != "CUSTOMER_MANAGED_CMK" or missing(key)):
        report(f"server-side encryption uses {key_type or 'AWS_OWNED_CMK'}, not a customer-managed key")
    elif require and aws_managed_key(key):
        report(f"server-side encryption uses the AWS managed key {key}, not a customer-managed key")
