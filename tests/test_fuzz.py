"""Fuzzing the spec reader: specs generated from the JSON Schema, then broken at a random
place in a random way, go through the same path as a file (YAML text -> bounded parse ->
model). No input may crash or hang the reader, and every rejection is one short line
naming the file and a field. `make test` runs a small fixed budget; `make fuzz` runs
GROUNDLINK_FUZZ_EXAMPLES (5,000) of each."""

from __future__ import annotations

import math
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundlink.inputs import MAX_LINE
from groundlink.spec import MissionSpec, SpecError, json_schema, read_yaml, spec_from_data

from .conftest import SPECS, spec_data, yaml_text
from .jsonschema_strategies import from_schema

EXAMPLES = int(os.environ.get("GROUNDLINK_FUZZ_EXAMPLES", "0")) or None  # None: the small default budgets
# CPU seconds, far above the slowest honest spec (the 24-satellite example reads in ~10 ms); a
# blow-up (alias expansion, deep nesting) burns CPU past it. Wall time is no measure here: on a
# loaded machine the example constellation once waited 2.5 s for the CPU it needed.
SECONDS_PER_INPUT = 2.0
SOURCE = "fuzz.yaml"
FIELDS = tuple(MissionSpec.model_fields)
DOCUMENT_LEVEL = ("line ", "the spec must be a mapping")
TOP_LEVEL_KEY_ENDINGS = (": a key must be text; put it in quotes",)
# problems of the YAML text itself, named by the path of the key (any key, the spec's or not) where they are
TEXT_LEVEL = (": duplicate key", " is not allowed in YAML; remove it")


def fuzz(default_examples: int) -> settings:
    """make test: a small budget, derandomized so every run tries the same inputs;
    make fuzz: GROUNDLINK_FUZZ_EXAMPLES random inputs."""
    return settings(
        max_examples=EXAMPLES or default_examples,
        deadline=None,  # timed below, per input, with the reader's own clock
        derandomize=EXAMPLES is None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -0.0, 5e-324]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=5),
    st.just("x" * 20_000),
    st.just("[" * 300 + "]" * 300),
    st.lists(st.integers(), max_size=4),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.integers(min_value=50, max_value=400).map(lambda n: {"k": _nested(n)}),
)


MUTATION_DEPTH = 12


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


def _set(doc: object, path: tuple, value: object) -> object:
    if not path:
        return value
    *head, last = path
    target = doc
    for part in head:
        target = target[part]
    target[last] = value
    return doc


@st.composite
def mutated(draw, base: st.SearchStrategy) -> object:
    doc = draw(base)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):  # 0: the generated spec as is
        # within the spec's own depth (about 6): a mutation inside junk nested 400 deep nested
        # more junk there, past what PyYAML can write out (RecursionError in the test, in
        # `make fuzz`), where one level of junk already tests the reader's depth bound
        paths = [path for path in _paths(doc) if len(path) <= MUTATION_DEPTH]
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["replace", "drop", "add_key"]))
        if how == "drop" and path:
            parent = doc
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
        elif how == "add_key":
            key = draw(st.one_of(st.text(max_size=12), st.sampled_from(["a\nb", "\x00", "x" * 500])))
            target = doc
            for part in path:
                target = target[part]
            if isinstance(target, dict):
                target[key] = draw(JUNK)
        else:
            doc = _set(doc, path, draw(JUNK))
    return doc


def _small(schema: dict) -> dict:
    """The schema with its lists capped at a few items for generation: a 500-satellite
    spec teaches the reader nothing a 3-satellite one does not, and costs a second each."""
    if isinstance(schema, dict):
        out = {k: _small(v) for k, v in schema.items()}
        if out.get("type") == "array":
            out["maxItems"] = min(out.get("maxItems", 3), 3)
        return out
    if isinstance(schema, list):
        return [_small(v) for v in schema]
    return schema


def _per_field(schema: dict) -> dict:
    """The schema without its requirements across fields (spec.CROSS_FIELD_RULES): drawn with
    them, hypothesis-jsonschema rejected most of its drafts (2 s of generation became 130 s),
    and a spec that breaks one is as good a draft for the reader as any."""
    return {key: value for key, value in schema.items() if key != "allOf"}


# deferred: building the strategy from the schema takes about a second, paid by the worker that
# runs these tests when it first draws, not by every worker collecting the suite
SCHEMA_SPECS = st.deferred(lambda: from_schema(_small(_per_field(json_schema()))))
EXAMPLE_SPECS = st.sampled_from(sorted(p.name for p in SPECS.glob("*.yaml"))).map(spec_data)


def _read(doc: object) -> MissionSpec | SpecError:
    """The file path of the reader, timed: YAML text -> bounded parse -> model."""
    text = yaml_text(doc, sort_keys=False, allow_unicode=True)
    started = time.process_time()
    try:
        document = read_yaml(text, SOURCE)
        result: MissionSpec | SpecError = spec_from_data(document.data, SOURCE, document)
    except SpecError as error:
        result = error
    elapsed = time.process_time() - started
    assert elapsed < SECONDS_PER_INPUT, f"{elapsed:.1f} CPU seconds for one spec"
    return result


def _assert_one_line_each(error: SpecError) -> None:
    assert error.lines
    for line in error.lines:
        assert "\n" not in line and "\r" not in line and len(line) <= MAX_LINE, line
        assert line.startswith(f"{SOURCE}: "), line
        where = line[len(SOURCE) + 2 :]
        if where.startswith(DOCUMENT_LEVEL):  # the YAML text or the document as a whole
            continue
        # a field path from the top of the document: a field of the spec, then what is below it,
        # or a top-level key the spec does not have
        top_field = any(where.startswith(f"{name}{sep}") for name in FIELDS for sep in ".[:")
        text_level = any(problem in where for problem in TEXT_LEVEL)
        assert top_field or where.endswith(TOP_LEVEL_KEY_ENDINGS) or ": unknown field" in where or text_level, line


@fuzz(default_examples=100)
@given(mutated(EXAMPLE_SPECS))
def test_broken_example_specs_never_crash_and_answer_in_one_line_per_problem(doc):
    result = _read(doc)
    if isinstance(result, SpecError):
        _assert_one_line_each(result)


@fuzz(default_examples=12)
@given(mutated(SCHEMA_SPECS))
def test_schema_generated_specs_whole_or_broken_never_crash_and_answer_in_one_line_per_problem(doc):
    """The JSON Schema cannot express the cross-field rules (bands, padding, TLE checksums),
    so even an unbroken generated spec may be refused, but only by lines naming a field."""
    result = _read(doc)
    if isinstance(result, SpecError):
        _assert_one_line_each(result)
