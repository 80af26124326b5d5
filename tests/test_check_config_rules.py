"""Pack configuration without the pack: how `--policy-pack-config` is read and layered, and
the one line each mistake gets (the message names the field and what is allowed)."""

from __future__ import annotations

import pytest

from groundlink.check.config import (
    PackConfigError,
    PolicySchema,
    PolicySettings,
    load_config_file,
    parse_config,
    reconcile,
)

from .conftest import ROOT

LEVELS = "advisory, mandatory, remediate, disabled"
OBJECT = " of enforcementLevel and the policy's properties"


def _error(call, *args) -> str:
    with pytest.raises(PackConfigError) as raised:
        call(*args)
    return str(raised.value)


def test_levels_and_settings_are_read_per_policy():
    doc = {
        "p": "mandatory",
        "q": {"enforcementLevel": "disabled", "k": 1},
        "r": {"k": 2},
        "all": {"enforcementLevel": "advisory"},
    }
    assert parse_config(doc) == {
        "p": PolicySettings("mandatory", {}),
        "q": PolicySettings("disabled", {"k": 1}),
        "r": PolicySettings("", {"k": 2}),
        "all": PolicySettings("advisory", {}),
    }
    assert doc["q"] == {"enforcementLevel": "disabled", "k": 1}  # the caller's document is left as it was


@pytest.mark.parametrize(
    "doc, line",
    [
        (
            ["p"],
            'pack.json: must be a JSON object of policy name -> level or settings, e.g. {"all": "mandatory"}, got ["p"]',
        ),
        ({"p": "hard"}, f'pack.json: p: "hard" is not an enforcement level; allowed: {LEVELS}'),
        (
            {"p": {"enforcementLevel": 3}},
            f"pack.json: p.enforcementLevel: 3 is not an enforcement level; allowed: {LEVELS}",
        ),
        (
            {"all": {"enforcementLevel": "advisory", "x": 1}},
            "pack.json: all.x: `all` sets only enforcementLevel; put properties under the policy they configure",
        ),
        ({"p": 5}, f"pack.json: p: 5 is not allowed; allowed: an enforcement level ({LEVELS}) or an object{OBJECT}"),
        (
            {"p": None},
            f"pack.json: p: null is not allowed; allowed: an enforcement level ({LEVELS}) or an object{OBJECT}",
        ),
    ],
)
def test_a_malformed_document_is_one_line_naming_the_field(doc, line):
    assert _error(parse_config, doc, "pack.json") == line


def test_the_default_source_name_is_the_policy_pack_config():
    assert _error(parse_config, "x").startswith("policy pack config: must be a JSON object")


def test_a_config_nested_past_what_the_reader_follows_is_one_line(tmp_path):
    """Some 1,000 brackets deep, Python's JSON reader gives up with a RecursionError, which
    `check` and `compare` printed as a traceback, exit 1: a CI gate read it as a policy failure."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"tags-required": {"requiredTags": ' + "[" * 1000 + "]" * 1000 + "}}")
    assert _error(load_config_file, deep) == (
        f'{deep}: nested too deeply; expected a JSON object of policy name -> level or settings, e.g. {{"all": '
        '"mandatory"}'
    )


def test_a_config_with_a_byte_order_mark_is_refused_as_pulumi_refuses_it(tmp_path):
    """PowerShell 5's `Out-File -Encoding utf8` writes one; the Pulumi CLI reads the file with Go's
    JSON reader, which takes none, so `pulumi preview` failed on the config the offline check
    had passed."""
    marked = tmp_path / "marked.json"
    marked.write_bytes(b'\xef\xbb\xbf{"tags-required": "advisory"}')
    assert _error(load_config_file, marked) == (
        f"{marked}: starts with a byte order mark (U+FEFF), which `pulumi preview --policy-pack-config` refuses "
        "(its JSON reader takes none); save the file as UTF-8 without one"
    )


def test_config_files(tmp_path):
    missing = tmp_path / "none.json"
    assert _error(load_config_file, missing) == f"{missing}: cannot read policy pack config (No such file or directory)"
    broken = tmp_path / "broken.json"
    broken.write_text('{"p": "advisory",\n x}')
    assert (
        _error(load_config_file, broken)
        == f"{broken}: not valid JSON: line 2, column 2: Expecting property name enclosed in double quotes"
    )
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"p": "hard"}')
    assert _error(load_config_file, str(wrong)).startswith(f'{wrong}: p: "hard" is not an enforcement level')
    good = tmp_path / "good.json"
    good.write_text('{"p": {"enforcementLevel": "mandatory", "k": [1]}}')
    assert load_config_file(good) == {"p": PolicySettings("mandatory", {"k": [1]})}


SCHEMAS = [
    PolicySchema(
        "a",
        "advisory",
        {
            "n": {"type": "integer", "default": 3},
            "flag": {"type": "boolean"},
            "mode": {"enum": ["x", "y"], "default": "x"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "free": {},
            "list": {"type": "array"},
        },
        [],
    ),
    PolicySchema("b", "mandatory", {}, []),
    PolicySchema("c", "advisory", {"k": {"type": "string"}}, ["k"]),
]


def _settings(result):
    return {name: (s.enforcement, s.properties) for name, s in result.items()}


def _given(**layers):
    return {name: PolicySettings(*value) for name, value in layers.items()}


def test_defaults_come_from_the_schemas():
    assert _settings(reconcile(SCHEMAS[:2], None)) == {
        "a": ("advisory", {"n": 3, "mode": "x"}),
        "b": ("mandatory", {}),
    }


def test_the_file_overrides_the_pack_s_initial_config_which_overrides_the_defaults():
    initial = _given(all=("disabled",), a=("mandatory", {"n": 4}))
    given = _given(b=("advisory",), a=("", {"mode": "y"}))
    assert _settings(reconcile(SCHEMAS[:2], given, initial)) == {
        "a": ("mandatory", {"n": 4, "mode": "y"}),
        "b": ("advisory", {}),
    }


def test_all_in_the_file_sets_every_level_and_all_without_a_level_changes_none():
    initial = _given(a=("mandatory",))
    assert _settings(reconcile(SCHEMAS[:2], _given(all=("advisory",)), initial)) == {
        "a": ("advisory", {"n": 3, "mode": "x"}),
        "b": ("advisory", {}),
    }
    assert _settings(reconcile(SCHEMAS[:2], _given(all=("",)), initial)) == {
        "a": ("mandatory", {"n": 3, "mode": "x"}),
        "b": ("mandatory", {}),
    }


@pytest.mark.parametrize(
    "given, line",
    [
        ({"z": ("advisory",)}, "policy pack config: z: unknown policy; allowed: all, a, b, c"),
        ({"aa": ("advisory",)}, "policy pack config: aa: unknown policy; allowed: all, a, b, c; did you mean 'a'?"),
        (
            {"a": ("", {"zz": 1})},
            "policy pack config: a.zz: unknown property; allowed: enforcementLevel, n, flag, mode, tags, free, list",
        ),
        ({"b": ("", {"zz": 1})}, "policy pack config: b.zz: unknown property; allowed: enforcementLevel"),
        (
            {"b": ("", {"enforcementlevel": "advisory"})},
            "policy pack config: b.enforcementlevel: unknown property; allowed: enforcementLevel; "
            "did you mean 'enforcementLevel'?",
        ),
        (
            {"a": ("", {"n": "x"})},
            'policy pack config: a.n: "x" is not allowed; allowed: an integer',
        ),
        (
            {"a": ("", {"flag": "yes"})},
            'policy pack config: a.flag: "yes" is not allowed; allowed: true, false',
        ),
        (
            {"a": ("", {"mode": "z"})},
            'policy pack config: a.mode: "z" is not allowed; allowed: "x", "y"',
        ),
        (
            {"a": ("", {"tags": ["ok", 1]})},
            "policy pack config: a.tags[1]: 1 is not allowed; allowed: a string",
        ),
        (
            {"a": ("", {"list": "one"})},
            'policy pack config: a.list: "one" is not allowed; allowed: a list of values',
        ),
        (
            {"c": ("advisory",)},
            "policy pack config: c.k: is required; allowed: a string",
        ),
    ],
)
def test_a_setting_the_schema_refuses_is_one_line_with_what_is_allowed(given, line):
    assert _error(reconcile, SCHEMAS, _given(**given)) == line


def test_a_property_without_type_or_values_points_at_the_schema():
    schemas = [PolicySchema("d", "advisory", {"x": {"not": {"type": "integer"}}}, [])]
    assert (
        _error(reconcile, schemas, _given(d=("", {"x": 1})))
        == 'policy pack config: d.x: 1 is not allowed; allowed: see the policy\'s schema ({"not": {"type": "integer"}})'
    )


# A pack of more rules than one line lists (MAX_LISTED): an unknown name is offered the rules of
# its area, each named by its ending, so the line stays whole.
MANY = [PolicySchema(f"aws-s3-rule{i}", "mandatory", {}, []) for i in range(8)] + [
    PolicySchema(f"azure-storage-rule{i}", "mandatory", {}, []) for i in range(8)
]


@pytest.mark.parametrize(
    "name, line",
    [
        (
            "aws-s3-nope",
            "policy pack config: aws-s3-nope: unknown policy; allowed: all, or a rule name in docs/policies.md; "
            "those starting aws-s3- end in: " + ", ".join(f"rule{i}" for i in range(8)) + "; did you mean "
            "'aws-s3-rule7'?",
        ),
        (
            "nope",
            "policy pack config: nope: unknown policy; allowed: all, or one of the 16 rule names in "
            "docs/policies.md (its table of rules)",
        ),
    ],
)
def test_an_unknown_name_in_a_large_pack_is_offered_the_rules_of_its_area(name, line):
    with pytest.raises(PackConfigError) as raised:
        reconcile(MANY, {name: PolicySettings("advisory", {}, "policy pack config")})
    assert str(raised.value) == line


def test_an_empty_list_of_allowed_storage_skus_is_refused_not_read_as_the_default(tmp_path, capsys):
    """`"allowedSkus": []` allows nothing as written, and was silently the four ZRS SKUs. The
    pack's schema numbers come through protobuf as floats: the bound read "at least 1.0 items"."""
    from groundlink.cli import main

    config = tmp_path / "skus.json"
    config.write_text('{"azure-storage-redundancy": {"allowedSkus": []}}')
    spec = str(ROOT / "specs" / "noaa20.yaml")
    assert main(["check", spec, "--cloud", "azure", "--policy-pack-config", str(config)]) == 2
    skus = ", ".join(f'"{sku}"' for sku in _skus())
    assert capsys.readouterr().err.strip() == (
        f"groundlink: {config}: azure-storage-redundancy.allowedSkus: [] is not allowed; "
        f"allowed: a list of values from {skus} (at least 1 of them)"
    )


def _skus() -> list[str]:
    """The storage SKU names as the azure-native provider spells them, in order."""
    import pulumi_azure_native.storage as storage

    return sorted(sku.value for sku in storage.SkuName)


def test_a_storage_sku_spelt_otherwise_than_azure_spells_it_is_refused(tmp_path, capsys):
    """SKU names are case-sensitive (Azure Storage REST reference, "SKU Types"): `standard_zrs` in
    allowedSkus matched no account and said nothing; the config refuses it, naming the spellings."""
    from groundlink.cli import main

    config = tmp_path / "skus.json"
    config.write_text('{"azure-storage-redundancy": {"allowedSkus": ["standard_zrs"]}}')
    assert (
        main(["check", str(ROOT / "specs" / "noaa20.yaml"), "--cloud", "azure", "--policy-pack-config", str(config)])
        == 2
    )
    skus = ", ".join(f'"{sku}"' for sku in _skus())
    assert capsys.readouterr().err.strip() == (
        f'groundlink: {config}: azure-storage-redundancy.allowedSkus[0]: "standard_zrs" is not allowed; allowed: {skus}'
    )


def _string_list_properties() -> list[tuple[str, str]]:
    from .policies_support import RULES

    return sorted(
        (name, key)
        for name, rule in RULES.items()
        for key, schema in rule.config.items()
        # a list of names (a list of values from an enum refuses "" as no value of it)
        if schema.get("type") == "array"
        and schema.get("items", {}).get("type") == "string"
        and "enum" not in schema["items"]
    )


@pytest.mark.parametrize(("rule", "key"), _string_list_properties())
def test_an_empty_name_in_any_list_of_the_pack_s_settings_is_refused(rule, key):
    """`"requiredTags": [""]` was taken: every resource then missed a tag named nothing, 33
    violations reading "missing tags:". A tag key, a region, a service principal, a runtime or a
    type token is never empty; the config's every list of names refuses one."""
    from .policies_support import RULES

    schemas = [PolicySchema(name, r.enforcement, r.config, []) for name, r in RULES.items()]
    line = _error(reconcile, schemas, _given(**{rule: ("", {key: ["x", ""]})}))
    assert line == f'policy pack config: {rule}.{key}[1]: "" is not allowed; allowed: a non-empty string'
    assert _settings(reconcile(schemas, _given(**{rule: ("", {key: ["x"]})})))[rule][1][key] == ["x"]


def test_a_config_file_of_only_blank_lines_is_said_to_be_empty(tmp_path):
    """A file left with only a newline and spaces is as empty as one of no bytes: it is said so,
    not reported as JSON that ends at line 2."""
    blank = tmp_path / "blank.json"
    blank.write_text("\n   \n")
    assert _error(load_config_file, blank) == (
        f'{blank}: policy pack config is empty; expected a JSON object of policy name -> level or settings, e.g. {{"all": "mandatory"}}'
    )


def test_a_mistake_in_the_file_names_the_file_not_the_pack_s_initial_config():
    """A misspelt property in the user's file: the line named "policy pack config", as if the pack
    itself had set it, instead of the file to edit."""
    given = {"a": PolicySettings("", {"zz": 1}, "pack.json")}
    assert _error(reconcile, SCHEMAS[:2], given) == (
        "pack.json: a.zz: unknown property; allowed: enforcementLevel, n, flag, mode, tags, free, list"
    )
    # a setting of the pack's initial config is named as the pack's, though a file is given too
    initial = {"a": PolicySettings("", {"n": "x"})}
    file = {"b": PolicySettings("advisory", {}, "pack.json")}
    assert _error(reconcile, SCHEMAS[:2], file, initial) == (
        'policy pack config: a.n: "x" is not allowed; allowed: an integer'
    )


def test_a_pack_of_as_many_rules_as_one_line_lists_names_them_all():
    """`all` and 11 rules make MAX_LISTED names: an unknown name is offered every one of them."""
    schemas = [PolicySchema(f"rule{i}", "mandatory", {}, []) for i in range(11)]
    with pytest.raises(PackConfigError) as raised:
        reconcile(schemas, {"nope": PolicySettings("advisory", {}, "pack.json")})
    assert str(raised.value) == "pack.json: nope: unknown policy; allowed: all, " + ", ".join(
        f"rule{i}" for i in range(11)
    )
