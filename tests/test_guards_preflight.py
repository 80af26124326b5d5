"""Guards at the edges of preflight rules and of contact coverage: a namespace name of 50 and 51
characters, a Lambda environment whose names push it past 4 KB, two passes that touch."""

from __future__ import annotations

import copy
import re

import pytest

from groundlink.coverage import contacts, merge
from groundlink.passes import Pass
from groundlink.preflight import azure_names, lambda_env
from groundlink.preflight.constraints import check_table

from .conftest import cached_plan

NAMESPACES = ("azure-native:eventhub:Namespace", "azure-native:servicebus:Namespace")


@pytest.mark.parametrize("type_token", NAMESPACES)
def test_a_namespace_name_rule_admits_50_characters_and_not_51(type_token):
    """docs/preflight.md: Event Hubs and Service Bus namespaces take 6-50 characters. The
    pattern says so on its own, as well as the length bounds beside it."""
    rule = azure_names.NAME_RULES[(type_token, "namespaceName")]
    fifty, fifty_one = "n" + "x" * 48 + "1", "n" + "x" * 49 + "1"
    assert (len(fifty), len(fifty_one)) == (50, 51)
    assert re.fullmatch(rule.pattern, fifty) and not re.fullmatch(rule.pattern, fifty_one)
    assert re.fullmatch(rule.pattern, "abcdef") and not re.fullmatch(rule.pattern, "abcde")
    assert rule.broken_by(fifty) is None and rule.broken_by(fifty_one) is not None


@pytest.mark.parametrize(("length", "fires"), [(50, False), (51, True)])
def test_a_planned_namespace_name_of_51_characters_fires(length, fires):
    plan = copy.deepcopy(cached_plan("noaa20.yaml", "azure"))
    [namespace] = plan.of_type("azure-native:servicebus:Namespace")
    namespace.inputs["namespaceName"] = "sb" + "x" * (length - 3) + "1"
    found = [f for f in check_table(plan, azure_names.NAME_RULES) if f.resource == namespace.name]
    assert [f.path for f in found] == (["namespaceName"] if fires else [])


def _environment(variables: dict[str, str]) -> list:
    plan = copy.deepcopy(cached_plan("noaa20.yaml", "aws"))
    [function] = plan.of_type("aws:lambda/function:Function")
    function.inputs["environment"] = {"variables": variables}
    return list(lambda_env.aws_findings(plan))


def test_variable_names_count_toward_the_4_kb_lambda_allows():
    """Lambda counts names and values, in their JSON: 2,100 bytes of names and 2,010 of values,
    and 19 of braces, quotes, colons and commas, are 4,129 bytes."""
    [finding] = _environment({"A" * 1000: "a" * 1000, "B" * 1000: "b" * 1000, "C" * 100: "c" * 10})
    assert finding.path == "environment.variables." + "A" * 1000
    assert "the variables take 4,129 bytes as Lambda measures them (as one JSON object), over the 4,096" in finding.rule


# one variable's JSON is its name and value and 7 bytes: {"name":"value"}
@pytest.mark.parametrize(("name_bytes", "fires"), [(2041, False), (2042, True)])
def test_an_environment_of_exactly_4096_bytes_fits_and_one_more_does_not(name_bytes, fires):
    found = _environment({"K" * name_bytes: "v" * 2048})
    assert len(found) == (1 if fires else 0)


def test_a_pass_starting_as_another_ends_leaves_no_gap_but_is_two_contacts():
    """One site's LOS at 300 s and another's AOS at 300 s: the satellite is never out of view
    (no gap, 10 minutes in view), but a contact is taken on one antenna, so these are two
    300-second contacts, and neither is long enough for a 400-second minimum."""
    by_site = {"a": [Pass("a", 0, 300, 150, 30)], "b": [Pass("b", 300, 600, 450, 30)]}
    assert merge([*by_site["a"], *by_site["b"]]) == [(0, 600)]
    result = contacts(by_site, days=1, min_contact_seconds=400)
    assert result.per_day == 0
    assert result.minutes_per_day == pytest.approx(10)
    assert result.longest_gap_hours == pytest.approx((86400 - 600) / 3600)
    assert contacts(by_site, days=1, min_contact_seconds=300).per_day == 2
