"""The contributor's scripts (bench/, scripts/) answer `--help` with their usage and bad values
with one line, as the groundlink command does. `scripts/mutation_run.py --help` took the flag
for a module glob and began writing mutants, `breaks.py -h` ran the break whose name holds
"-h", `gen_replace_rules.py --help` rewrote a tracked file, and bad counts ended in
tracebacks (`StatisticsError`, `ZeroDivisionError`) or a sweep of -1 interrupts that passed."""

from __future__ import annotations

import pytest

from .conftest import ROOT, script_module

SCRIPTS = sorted(
    str(path.relative_to(ROOT))
    for folder in ("bench", "scripts")
    for path in (ROOT / folder).glob("*.py")
    if "\ndef main(" in path.read_text()
)


def test_the_scripts_with_a_main_are_found():
    assert {"scripts/mutation_run.py", "scripts/breaks.py", "bench/bench.py", "bench/processing.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_help_prints_the_usage_and_does_nothing_else(script, capsys):
    with pytest.raises(SystemExit) as ended:
        script_module(script).main(["--help"])
    out = capsys.readouterr().out
    assert ended.value.code == 0 and out.startswith("usage: ")


@pytest.mark.parametrize(
    ("script", "argv", "line"),
    [
        ("bench/bench.py", ["--repeat", "0"], "--repeat: 0 runs; allowed: 1 or more (the median of the timed runs is kept)"),
        ("bench/bench.py", ["--spec", "nope.yaml"], f"--spec: nope.yaml is neither a file nor a file name under {ROOT / 'specs'}"),
        ("bench/processing.py", ["--piece", "1000"], "--piece: 1000 bytes; allowed: a multiple of 1024 from 1024 to 64512"),
        ("bench/processing.py", ["--piece", "65536"], "--piece: 65536 bytes; allowed: a multiple of 1024 from 1024 to 64512"),
        ("bench/processing.py", ["--gb", "0"], "--gb: 0; allowed: 8.278e-06 (one datagram of --piece bytes) or more"),
        ("bench/processing.py", ["--gb", "1e-7"], "--gb: 1e-07; allowed: 8.278e-06 (one datagram of --piece bytes) or more"),
        ("bench/processing.py", ["--repeat", "-1"], "--repeat: -1 runs; allowed: 1 or more (the median of the timed runs is kept)"),
        ("scripts/interrupt_sweep.py", ["--runs", "-1"], "--runs: -1; allowed: 1 or more"),
        ("scripts/interrupt_sweep.py", ["--jobs", "0"], "--jobs: 0; allowed: 1 or more"),
        ("scripts/gen_registry_schemas.py", ["nope.whl"], "nope.whl: not a wheel (a zip file) that can be read"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_line_and_exit_2(script, argv, line, capsys):
    with pytest.raises(SystemExit) as ended:
        script_module(script).main(argv)
    err = capsys.readouterr().err
    assert ended.value.code == 2 and err.splitlines()[-1].endswith(f"error: {line}")


@pytest.mark.parametrize("value", ["0", "x", "-2"])
def test_a_mutation_sample_that_is_no_count_is_refused_before_any_mutant_is_written(value, monkeypatch, capsys):
    monkeypatch.setenv("MUTATION_SAMPLE", value)
    with pytest.raises(SystemExit) as ended:
        script_module("scripts/mutation_run.py").main(["groundlink.cost.*"])
    assert ended.value.code == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .endswith(f"MUTATION_SAMPLE={value}; allowed: a whole number, 1 or more")
    )


def test_a_bench_spec_may_be_a_path(tmp_path):
    bench = script_module("bench/bench.py")
    spec = tmp_path / "mine.yaml"
    spec.write_text((ROOT / "specs" / "noaa20.yaml").read_text())
    assert bench.spec_path_of(str(spec)) == spec
    assert bench.spec_path_of("noaa20.yaml") == ROOT / "specs" / "noaa20.yaml"
