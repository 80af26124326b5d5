"""How the pack's rules read resource properties (policies/props.py): absent, unknown during a
preview, given as a map or a Key/Value list, as JSON text or a mapping. A rule that misreads
a property either misses a violation or reports one that is not there."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from groundlink.check import import_pack

PACK = import_pack()
props = importlib.import_module(PACK.__name__.rsplit(".", 1)[0] + ".props")


class NotYetKnown(Mapping):
    """A preview's property map whose values are not known until deployment."""

    def __getitem__(self, key):
        raise UnknownValueError(UNKNOWN_STRING_VALUE, [key])

    def __contains__(self, key) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(["tags"])

    def __len__(self) -> int:
        return 1


def test_sequences_are_lists_and_tuples_not_strings_or_maps():
    assert [props.is_seq(v) for v in ([1], (1,), "ab", b"ab", {"a": 1}, 5)] == [True, True, False, False, False, False]


def test_get_walks_maps_and_lists_and_answers_default_when_absent():
    doc = {"a": {"b": [10, 20], "zero": 0, "none": None}}
    assert props.get(doc, "a", "b", 1) == 20
    assert props.get(doc, "a", "b", 2, default="d") == "d"
    assert props.get(doc, "a", "x", default="d") == "d"
    assert props.get(doc, "a", "b", "k", default="d") == "d"  # a name into a list
    assert props.get(doc, "a", "zero", 0, default="d") == "d"  # an index into a number
    assert props.get(doc, "a", "zero", default="d") == 0
    assert props.get(doc, "a", "none", default="d") == "d"
    assert props.get(doc, "a", "none") is None


def test_a_value_not_known_before_deployment_is_unknown_and_falsy():
    value = props.get(NotYetKnown(), "tags")
    assert value is props.UNKNOWN and not props.known(value) and not value and repr(value) == "UNKNOWN"
    assert props.known(None) and props.known(0)
    assert props.tags_of(NotYetKnown()) is None
    # inside a block not known yet nothing is known: not the block's default
    assert props.get({"rules": props.UNKNOWN}, "rules", 0, "sseAlgorithm", default="AES256") is props.UNKNOWN
    assert props.tags_of({"tags": [{"key": "owner", "value": "ops"}, props.UNKNOWN]}) is None
    assert props.tags_of({"tags": [{"key": "owner", "value": props.UNKNOWN}]}) == {"owner": props.UNKNOWN}
    assert props.to_mhz({"value": props.UNKNOWN, "units": "MHz"}) is props.UNKNOWN
    assert props.to_mhz({"value": 8160, "units": props.UNKNOWN}) is props.UNKNOWN
    assert props.to_mhz({"value": 8.16, "units": "GHz"}) == 8160.0


def test_lists_and_truth():
    assert props.as_list(None) == []
    # a list not known yet is not an empty one: one item not known, which no rule reads as absent
    assert props.as_list(props.UNKNOWN) == [props.UNKNOWN]
    assert props.as_list((1, 2)) == [1, 2] and props.as_list("x") == ["x"] and props.as_list(3) == [3]
    assert [props.is_true(v) for v in (True, "TRUE", "true", "yes", 1, "false", None)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_policy_statements_from_text_or_mapping():
    assert props.policy_statements(None) == [] and props.policy_statements(props.UNKNOWN) == []
    assert props.policy_statements("not json") == []
    assert props.policy_statements('{"Statement": {"Effect": "Allow"}}') == [{"Effect": "Allow"}]
    assert props.policy_statements({"Statement": [{"a": 1}, "x", 3]}) == [{"a": 1}]
    assert props.policy_statements({}) == []


def test_principals_flattened_and_service_principals():
    both = {"Principal": {"AWS": ["arn:a", "arn:b"], "Service": "s3.amazonaws.com"}}
    assert props.principals({"Principal": "*"}) == ["*"]
    assert props.principals(both) == ["arn:a", "arn:b", "s3.amazonaws.com"]
    assert props.principals({}) == [] and props.principals({"Principal": 5}) == []
    assert props.service_principals(both) == ["s3.amazonaws.com"]
    assert props.service_principals({"Principal": {"Service": ["a", "b"]}}) == ["a", "b"]
    assert props.service_principals({"Principal": "*"}) == []
    assert props.service_principals({"Principal": {"AWS": "x"}}) == []


def test_condition_keys_lower_cased_whatever_the_operator():
    statement = {
        "Condition": {"StringEquals": {"aws:SourceAccount": "1"}, "ArnLike": {"AWS:SourceArn": "x"}, "Bool": "x"}
    }
    assert props.condition_keys(statement) == {"aws:sourceaccount", "aws:sourcearn"}
    assert props.condition_keys({}) == set() and props.condition_keys({"Condition": None}) == set()


def test_tags_as_a_map_or_a_key_value_list():
    assert props.tags_of({"tags": {"a": "1"}}) == {"a": "1"}
    listed = {"tags": [{"key": "a", "value": "1"}, {"Key": "B", "Value": "2"}, "junk"]}
    assert props.tags_of(listed) == {"a": "1", "B": "2"}
    assert props.tags_of({}) == {} and props.tags_of({"tags": 5}) == {}


@pytest.mark.parametrize(
    "quantity, mhz",
    [
        ({"value": 8, "units": "GHz"}, 8000.0),
        ({"value": 8212.5}, 8212.5),  # MHz when no unit is given
        ({"value": 7, "units": "MHz"}, 7.0),
        ({"value": 5, "units": "kHz"}, 0.005),
        ({"value": 5e6, "units": "Hz"}, None),  # Ground Station takes GHz, MHz and kHz only
        ({"value": 7, "units": "mhz"}, None),  # as it spells them
        ({"value": "8", "units": "MHz"}, None),
        ({"value": 8, "units": "THz"}, None),
        ({"value": 8, "units": 3}, None),
        (None, None),
    ],
)
def test_frequencies_in_mhz(quantity, mhz):
    assert props.to_mhz(quantity) == (pytest.approx(mhz) if mhz is not None else None)


@pytest.mark.parametrize(
    "value, minimum, ok",
    [
        ("TLS1_2", (1, 2), True),
        ("TLS1_1", (1, 2), False),
        ("1.3", (1, 2), True),
        ("TLS1_0", (1, 2), False),
        (None, (1, 2), False),
        ("TLS1_2", (1, 3), False),
        ("TLS1_3", (1, 3), True),
        ("12", (1, 2), False),
    ],
)
def test_tls_versions_compare_as_versions(value, minimum, ok):
    assert props.tls_at_least(value, minimum) is ok
    if minimum == (1, 2):
        assert props.tls_at_least(value) is ok


def test_ranges_that_admit_every_internet_caller_are_told_apart_from_ranges_that_do_not():
    """0.0.0.0/0 alone passed for "every address": its halves, or every public range with the
    private and reserved ones (which no internet caller holds) left out, admit the same callers."""
    import ipaddress

    public = [ipaddress.ip_network("0.0.0.0/0")]
    for reserved in ("10.0.0.0/8", "127.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"):
        public = [
            p
            for n in public
            for p in (
                n.address_exclude(ipaddress.ip_network(reserved))
                if ipaddress.ip_network(reserved).subnet_of(n)
                else [n]
            )
        ]
    every = props.admits_every_address
    assert every(["0.0.0.0/0"]) and every(["0.0.0.0/1", "128.0.0.0/1"]) and every(["::/0"])
    assert every([str(n) for n in public])  # what a firewall of public ranges only can hold
    assert not every([str(n) for n in public if n != public[0]])  # one range short
    assert not every(["203.0.113.0/24"]) and not every([]) and not every(["not an address"])
    assert every(["::/1"]) and not every(["8000::/1"])  # the half of IPv6 that holds its global unicast, the other
    assert every(["2000::/3"]) and not every(["2000::/4"])  # all of IPv6's global unicast, or half of it


def test_an_address_range_written_with_spaces_around_it_is_still_read():
    """A firewall rule's source written ' 0.0.0.0/0' (a spec or program value padded with a space)
    admits every address all the same: were it read as no address, the open-ingress and firewall
    rules would let it through unreported."""
    every = props.admits_every_address
    assert every([" 0.0.0.0/0"]) and every(["0.0.0.0/1 ", "\t128.0.0.0/1"]) and every([" ::/0 "])
    assert not every([" 203.0.113.0/24 "])
