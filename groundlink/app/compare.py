"""`groundlink compare SPEC --out DIR`: both clouds side by side, from one spec.

Plans both clouds (in parallel processes when there are two cores), builds the
parity matrix and the cost estimate, and writes report.md, report.html,
compare.json, plan-<cloud>.json and charts/ into DIR. Everything is written
into a temporary sibling directory first and renamed into place at the end,
so a failed run never leaves a half-written report.

Exit codes: 0 comparable; 1 written but the parity check failed; 2 bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import interrupt
from ..clock import pinned_time
from ..clouds import CLOUDS, cloud_title
from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from ..inputs import escaped
from ..outputs import displayable, file_location, held, in_use, keep_mode, reason, sibling_stem, swapping_in, writing
from . import diff_command

if TYPE_CHECKING:
    from rich.console import Console

    from .parallel_plans import PlanRun


# How long an interrupted compare waits for its policy thread to stop the pack processes.
INTERRUPT_GRACE_SECONDS = 5.0


class _Arrivals:
    """Plans handed from the planning loop to the policy thread as they finish, with the
    preflight findings their worker found."""

    def __init__(self, clouds: tuple[str, ...]):
        self._events = {cloud: threading.Event() for cloud in clouds}
        self._runs: dict[str, PlanRun] = {}

    def put(self, cloud: str, run: PlanRun) -> None:
        self._runs[cloud] = run
        self._events[cloud].set()

    def preflight(self, plan: Any) -> list[str] | None:
        run = self._runs.get(plan.cloud)
        return run.preflight if run is not None and run.plan is plan else None

    def close(self) -> None:
        for event in self._events.values():
            event.set()

    def get(self, cloud: str) -> Any:
        self._events[cloud].wait()
        if cloud not in self._runs:
            raise RuntimeError(f"the {cloud} plan did not complete")
        return self._runs[cloud].plan


@dataclass
class CompareResult:
    out_dir: Path
    document: dict[str, Any]
    timings: dict[str, float]  # plan_aws, plan_azure (each inside its process), total (wall)
    diffs: list[Any] = field(default_factory=list)  # against OLD, when asked (groundlink.diff.Diff)

    @property
    def ok(self) -> bool:
        return bool(self.document["ok"])


REPORT_MARKER = ".groundlink-report"  # lists the files compare wrote; marks DIR as its own


def _check_out_dir(out: Path) -> None:
    """DIR is new, empty, or an earlier report holding only files compare wrote: replacing it
    then loses nothing of the user's."""
    from ..outputs import check_dir_target

    check_dir_target(out, "--out")
    _check_written_paths(out)
    here, place = Path.cwd().resolve(), file_location(out)
    if place == here or place in here.parents:
        raise UsageError(
            f"--out {out}: holds the current directory, and the report replaces DIR whole; choose another directory"
        )
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        written = set(json.loads((out / REPORT_MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(
            f"--out {out}: not empty and not an earlier groundlink report (no {REPORT_MARKER}); "
            "choose another directory"
        ) from None
    foreign = sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir() and str(p.relative_to(out)) not in written
    )
    foreign = [f for f in foreign if f != REPORT_MARKER]
    if foreign:
        raise UsageError(
            f"--out {out}: holds {len(foreign)} file(s) groundlink did not write ({foreign[0]}); "
            "move them or choose another directory"
        )


def _mark_report(tmp: Path) -> None:
    files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if not p.is_dir())
    (tmp / REPORT_MARKER).write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")


def _sibling(out: Path, kind: str) -> Path:
    """A hidden directory beside `out` for compare's own use (`.NAME.tmp-...` for the report
    being written, `.NAME.old-...` for the one it replaces), named before it is made: a signal
    can stop the run between any two steps, and the clean-up must know what the run made."""
    return out.parent / f".{_stem(out, kind)}.{kind}-{os.urandom(SIBLING_RANDOM_BYTES).hex()}"


SIBLING_RANDOM_BYTES = 5


def _check_written_paths(out: Path) -> None:
    """Each file compare writes, under DIR and under the hidden directory it is written in first,
    is a path the system takes: a DIR whose path fitted PATH_MAX but whose `charts/...svg` did
    not was refused only after both plans, the pack and the report had run."""
    from ..outputs import lookup_problem
    from ..report.charts import CHARTS

    files = ["compare.json", "report.html", "report.md", REPORT_MARKER, *(f"plan-{c}.json" for c in CLOUDS)]
    files += [f"charts/{name}.svg" for name in CHARTS]
    writing = out.parent / f".{_stem(out, 'tmp')}.tmp-{'0' * 2 * SIBLING_RANDOM_BYTES}"
    for where in (out, writing):
        for name in files:
            problem = lookup_problem(where / name)
            if problem is not None:
                raise UsageError(f"--out {out}: cannot write {name} in it ({problem})")


def _stem(out: Path, kind: str) -> str:
    """The report's name as its siblings carry it: cut so that they are names the system takes."""
    return sibling_stem(out.name, len(kind) + 1 + 2 * SIBLING_RANDOM_BYTES, out.parent)


def _replace_dir(tmp: Path, out: Path) -> Path | None:
    """Swap the finished report into place, with the permissions of the one it replaces; the
    previous report is removed only after. Returns where the previous report stays, set aside,
    when it cannot be removed (a directory of it the user made read-only), said by the caller
    as this run's, not as a compare's stopped outright."""
    keep_mode(tmp, out, new=0o777)
    old = _sibling(out, "old") if out.exists() else None
    try:
        if old is not None:
            old.mkdir(mode=0o700)
            out.replace(old / out.name)
        tmp.replace(out)
    except BaseException:
        if old is not None:
            if not tmp.exists():  # the new report is in place: the previous one has no use left
                shutil.rmtree(old, ignore_errors=True)
            else:
                if (old / out.name).exists():  # the previous report goes back where it was
                    (old / out.name).replace(out)
                with contextlib.suppress(OSError):
                    old.rmdir()
        raise
    if old is None:
        return None
    # the new report is in place: the previous one is removed whole before a stop signal that
    # comes meanwhile is raised (a Ctrl-C there left half of it set aside, said by the next run
    # to be a killed compare's)
    with interrupt.finishing():
        shutil.rmtree(old, ignore_errors=True)
    if not old.exists():
        return None
    try:  # again, for what stopped it: what is left names it
        shutil.rmtree(old)
    except OSError as error:
        print(
            f"groundlink: the report this compare replaced could not all be removed "
            f"({escaped(str(error.filename or old))}: {reason(error)}); it is set aside in {escaped(str(old))}: "
            "delete it",
            file=sys.stderr,
        )
        return old
    return None


def _say_leftovers(out: Path, own: Path | None = None) -> None:
    """Name what a compare killed outright (SIGKILL, a power cut) left beside DIR: it cannot be
    removed by the run that made it, and it may belong to a compare still running, so it is
    named, never deleted. An `.old-` one holds the report that compare was replacing. Looked for
    while no compare swaps a report in, and past the reports compares still write (`held`): a
    compare beside this one had its report called half-written by a compare stopped outright."""
    with swapping_in(out.parent):
        found = [
            (path, what)
            for kind, what in (("old", "the report it was replacing"), ("tmp", "a half-written report"))
            for path in sorted(out.parent.glob(f".{glob.escape(_stem(out, kind))}.{kind}-*"))
            if not in_use(path) and path != own
        ]
    for path, what in found:
        print(
            f"groundlink: {escaped(str(path))} was left by a compare that was stopped outright: {what}; "
            f"delete it unless a compare into {escaped(str(out))} is still running",
            file=sys.stderr,
        )


def _write(tmp: Path, doc: dict[str, Any], runs: dict[str, PlanRun], charts: dict[str, bytes]) -> None:
    from ..report.markdown_html import render_html, render_markdown

    for cloud, run in runs.items():
        run.plan.write(tmp / doc["clouds"][cloud]["planFile"])
    (tmp / "compare.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    (tmp / "charts").mkdir()
    files = {}
    for name, svg in charts.items():
        (tmp / "charts" / f"{name}.svg").write_bytes(svg)
        files[name] = f"charts/{name}.svg"
    (tmp / "report.md").write_text(render_markdown(doc, files), encoding="utf-8")
    (tmp / "report.html").write_text(render_html(doc, charts), encoding="utf-8")


def run_time() -> str:
    """When the run happened, as compare.json's `generatedAt` and the reports write it (UTC, to
    the second): now, or SOURCE_DATE_EPOCH where it is set, so a report committed to a
    repository changes only with what it says (the TLE ages it gives count from it too)."""
    moment = pinned_time() or dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def run_compare(
    spec_path: str | Path,
    out_dir: str | Path,
    prices: str | Path | None = None,
    console: Console | None = None,
    workers: int | None = None,
    against: str | None = None,
    spec_name: str | None = None,
    against_name: str | None = None,
    allow_data_loss: bool = False,
    policy_pack_config: str | None = None,
    policy_pack_config_name: str | None = None,
) -> CompareResult:
    """The whole comparison (the function the benchmark times). Raises SpecError, PriceError,
    UsageError or PlanError on bad input, before anything is written to `out_dir`.
    `spec_name` and `against_name`: what the report calls the spec and OLD when the paths
    read are private copies of what the user gave (a pipe: groundlink.path_args).
    `allow_data_loss`: whether the report records the data loss --against finds as accepted or
    as refused (the command's exit 1). `policy_pack_config`: the pack config `groundlink check`
    takes (`policy_pack_config_name`: as the report names it), read before anything starts."""
    from dataclasses import replace

    from ..blueprint import build_blueprint
    from ..cost import estimate, load_catalogs
    from ..cost.model import partner_catalogs
    from ..diff.run import check_old, data_loss_lines, diff_against, unappliable_lines
    from ..report.terminal import report_console
    from ..spec import load_spec
    from .parallel_plans import run_plans
    from .policy_results import policy_results_as_planned
    from .progress import steps

    started = time.perf_counter()
    console = console or report_console()  # piped, lines as long as their text
    out = Path(out_dir)
    generated_at = run_time()
    spec = load_spec(spec_path)  # precise errors before any process starts
    catalogs, assumptions = load_catalogs(prices)
    catalogs = partner_catalogs(spec, catalogs, str(prices))  # one partner price, checked before planning
    _check_out_dir(out)
    if against:
        check_old(against, CLOUDS, partial=True)  # the report says which cloud OLD leaves out
    loaded = None
    if policy_pack_config is not None:
        from ..check.config import LoadedConfig, check_against_the_rules, load_config_file

        # a file that is no pack config, or names a policy the pack has not: one line, nothing
        # started; read once, and the settings handed on (a pipe is empty when read again)
        loaded = LoadedConfig(load_config_file(policy_pack_config))
        check_against_the_rules(loaded.given)
    blueprint = build_blueprint(spec)
    prepared: dict[str, Any] = {}

    def prepare() -> None:
        """What needs no plan, done while the workers plan (after the fork, so the workers do not
        inherit numpy or jinja2): the coverage, and the analysis and report modules' imports."""
        from ..coverage import coverage_report
        from ..report import compare_console, document, markdown_html  # noqa: F401  (imported ahead of use)

        prepared["coverage"] = coverage_report(blueprint)

    # The Pulumi SDK, imported whole in this thread before the policy and coverage threads start:
    # its package imports itself in a cycle (pulumi, its automation package, pulumi.runtime.proto),
    # and the policy thread importing the analyzer's messages while this thread imported the SDK to
    # plan (one usable core: the plans run here) failed one of them ("cannot import name
    # 'LanguageRuntimeServicer' from partially initialized module 'pulumi.runtime.proto'"). Forked
    # plan workers inherit it, instead of each importing it again.
    import pulumi.runtime.proto  # noqa: F401  (imported for its side effect: the SDK in sys.modules)

    with steps(console) as progress:
        # The policy pack processes start as soon as the plan workers exist (no gRPC channel
        # may be open across a fork) and analyze each plan as it arrives.
        arrivals = _Arrivals(CLOUDS)
        policy_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groundlink-policy")
        background: dict[str, Future[dict[str, Any]]] = {}

        def stop_policy(error: BaseException) -> None:
            """Wait for the policy thread: its pack processes stop when it returns.

            After Ctrl-C the packs took the signal too, so an analysis may never answer:
            the wait is then bounded, and the command leaves with its one line."""
            if isinstance(error, (KeyboardInterrupt, interrupt.Terminated)) and "policy" in background:
                policy_thread.shutdown(wait=False, cancel_futures=True)
                wait_for([background["policy"]], timeout=INTERRUPT_GRACE_SECONDS)
            else:
                policy_thread.shutdown(wait=True)

        def plan_started(cloud: str) -> None:
            progress.start(cloud, f"plan {cloud_title(cloud)}")
            if not background:
                background["policy"] = policy_thread.submit(
                    policy_results_as_planned,
                    str(spec_path),
                    CLOUDS,
                    arrivals.get,
                    arrivals.preflight,
                    loaded,
                    policy_pack_config_name or policy_pack_config,
                )
                progress.start("policy", "policy pack")

        try:
            runs = run_plans(
                str(spec_path),
                CLOUDS,
                workers,
                on_start=plan_started,
                on_done=lambda c, s: progress.done(c, f"{s:.2f} s"),
                on_plan=arrivals.put,
                meanwhile=prepare,
            )
        except BaseException as error:
            arrivals.close()  # a failed plan must not leave the policy thread waiting,
            stop_policy(error)  # nor its pack processes running after we return
            raise
        arrivals.close()
        if spec_name:  # the plans (their files, the diff) name the spec as the report does
            runs = {cloud: replace(run, plan=replace(run.plan, spec=spec_name)) for cloud, run in runs.items()}
        plans = {cloud: run.plan for cloud, run in runs.items()}
        progress.start("analysis", "parity, cost, coverage, charts")
        try:
            from ..coverage import coverage_report
            from ..parity import parity
            from ..report.charts import render_charts
            from ..report.document import build_document

            matrix = parity(blueprint, plans)
            cost = estimate(blueprint, catalogs, assumptions, plans)
            coverage = prepared["coverage"] if "coverage" in prepared else coverage_report(blueprint)
            doc = build_document(
                spec_path=spec_name or str(spec_path),
                blueprint=blueprint,
                runs=runs,
                matrix=matrix,
                estimate=cost,
                policy={},
                coverage=coverage,
                prices_file=str(prices) if prices else None,
                generated_at=generated_at,
            )
            diffs = diff_against(against, str(spec_path), CLOUDS, plans, partial=True) if against else []
            if against:
                lost, rejected = data_loss_lines(diffs), unappliable_lines(diffs)
                doc["diff"] = {
                    "against": against_name or against,
                    "allowDataLoss": allow_data_loss,
                    "refused": (bool(lost) and not allow_data_loss) or bool(rejected),
                    "dataLoss": lost,
                    # changes the cloud rejects at pulumi up: refused whatever --allow-data-loss says
                    "unappliable": rejected,
                    "clouds": [d.to_json() for d in diffs],
                    # a plan or checkpoint as OLD holds one cloud: the other is not compared
                    "notCompared": [c for c in CLOUDS if c not in {d.cloud for d in diffs}],
                }
            doc = displayable(doc)  # a path that is not UTF-8 (the spec, --prices, OLD) as U+FFFD
            charts = render_charts(doc)  # charts do not read policy results
        except BaseException as error:
            stop_policy(error)
            raise
        progress.done("analysis")
        try:  # the packs' answers: a Ctrl-C while they are awaited stops them as one before did
            doc["policy"] = background["policy"].result()
        except BaseException as error:
            stop_policy(error)
            raise
        policy_thread.shutdown()
        progress.done("policy", "" if doc["policy"]["available"] else "not available")
        progress.start("report", "write report.md, report.html, compare.json")
        with writing(out, "--out"):
            place = file_location(out)  # a link to an earlier report is followed and stays a link
            tmp = _sibling(place, "tmp")
            try:
                tmp.mkdir()  # as an ordinary directory is made (the umask applies), once named above
                with held(tmp):  # another compare's leftovers line leaves a report being written alone
                    _write(tmp, doc, runs, charts)
                    _mark_report(tmp)
                    with swapping_in(place.parent):  # two compares into one --out swap one after the other
                        kept = _replace_dir(tmp, place)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        progress.done("report")
    _say_leftovers(file_location(out), own=kept)

    from ..report.compare_console import print_summary

    print_summary(doc, str(out), console)
    timings = {f"plan_{cloud}": run.seconds for cloud, run in runs.items()}
    timings["total"] = time.perf_counter() - started
    return CompareResult(out, doc, timings, diffs)


@contextlib.contextmanager
def warm_session() -> Iterator[None]:
    """Compares run within this block reuse the plan workers and the policy pack processes of the
    first (what a benchmark or a long-lived caller wants); everything stops when it ends. A single
    `groundlink compare` does not use it: it starts, and stops, its own processes."""
    from ..check.host import keep_packs_warm
    from .parallel_plans import keep_workers_warm

    with keep_workers_warm(), keep_packs_warm():
        yield


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", help="mission spec (YAML)")
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="directory for report.md, report.html, compare.json and the plans (replaced atomically)",
    )
    parser.add_argument("--prices", metavar="FILE", help="price overrides (YAML; format in docs/compare.md)")
    parser.add_argument(
        "--policy-pack-config",
        metavar="FILE",
        help="pack config JSON for the report's policy results, as `groundlink check` takes it",
    )
    parser.add_argument("--serial", action="store_true", help="plan the clouds one after the other, in-process")
    diff_command.add_against(parser)


def run(args: argparse.Namespace) -> int:
    from ..cost import PriceError
    from ..diff import render_text
    from ..path_args import copied_from

    try:
        result = run_compare(
            args.spec,
            args.out,
            prices=args.prices,
            workers=1 if args.serial else None,
            against=args.against,
            spec_name=copied_from(args, args.spec),
            against_name=copied_from(args, args.against),
            allow_data_loss=args.allow_data_loss,
            policy_pack_config=args.policy_pack_config,
            policy_pack_config_name=copied_from(args, args.policy_pack_config),
        )
    except PriceError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    for diff in result.diffs:
        print("\n".join(render_text(diff)))
    lost = diff_command.verdict(result.diffs, args.allow_data_loss, args.against or "", args.spec)
    return EXIT_OK if result.ok and lost == EXIT_OK else EXIT_FAILED
