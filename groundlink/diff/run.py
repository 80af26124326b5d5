"""Diffs of a spec against OLD, for `groundlink diff` and the `--against` flag of plan,
check and compare (which pass the plans they already built, so NEW is planned once)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .changes import Diff, PropertyChange, diff_states, leaf_changes
from .state import Planner, StateError, align, as_deployed, from_plan, is_spec_path, load_states


def _engine_plan(spec: str, cloud: str) -> Any:
    from ..engine import plan

    return plan(spec, cloud)


def diff_against(
    old: str,
    new_spec: str,
    clouds: Sequence[str],
    new_plans: Mapping[str, Any] | None = None,
    planner: Planner | None = None,
    partial: bool = False,
) -> list[Diff]:
    """One diff per cloud OLD covers among `clouds` (every one unless `partial`: state.covers).
    Bad input (either side) raises before anything is planned: SpecError for NEW, StateError or
    SpecError for OLD."""
    from pathlib import Path

    from ..spec import load_spec

    if Path(new_spec).is_file() and not is_spec_path(new_spec):
        raise StateError(f"{new_spec}: NEW must be a mission spec; this is a plan, checkpoint or report")
    load_spec(new_spec)  # names a directory, a missing file, what is wrong in a spec
    if is_spec_path(old):
        check_old(old, clouds, partial)  # a spec this version refuses says what to give instead
    plan = planner or _engine_plan
    olds = load_states(old, list(clouds), plan, partial)
    diffs = []
    for cloud in clouds:
        if cloud in olds:
            new_plan = new_plans[cloud] if new_plans and cloud in new_plans else plan(new_spec, cloud)
            new = from_plan(new_plan)
            deployed = align(olds[cloud], new)  # before as_deployed, which takes OLD's values by NEW's keys
            diffs.append(diff_states(deployed, as_deployed(new, deployed)))
    return diffs


OLD_SPEC_REFUSED = (
    "OLD is read by this version's rules, and a spec an earlier version deployed may be refused by them; "
    "give the stack as deployed instead: its plan (`groundlink plan OLD --json FILE` with the version that "
    "deployed it) or `pulumi stack export`"
)


def _a_spec_document(path: str) -> bool:
    """`path` reads as a YAML mapping with a spec's own sections: a document some version of
    groundlink could have deployed, which this one's rules refuse."""
    from ..inputs import SpecError, read_input
    from ..spec import read_yaml

    try:
        data = read_yaml(read_input(Path(path)), path).data
    except (SpecError, OSError, ValueError):
        return False
    return isinstance(data, dict) and {"mission", "satellites"} <= set(data)


def check_old(old: str, clouds: Sequence[str], partial: bool = False) -> None:
    """Read OLD up front (a spec is validated, a plan or checkpoint parsed, and the clouds
    asked for checked against the one it holds) so that a bad OLD is reported before any
    planning starts."""
    from pathlib import Path

    from ..inputs import SpecError
    from ..spec import load_spec
    from .state import covers, from_document, read_json

    if is_spec_path(old):
        try:
            load_spec(old)
        except SpecError as error:
            if not _a_spec_document(old):  # unreadable, no YAML, no spec: said as it is
                raise
            # OLD is read by this version's rules: a spec an earlier version deployed may now be
            # refused, and edited to pass it would no longer describe the stack as deployed
            raise SpecError(error.source, [*error.lines, f"{old}: {OLD_SPEC_REFUSED}"]) from None
    else:
        covers(old, from_document(read_json(Path(old)), old).cloud, clouds, partial)


def _as_written(value: Any) -> str:
    """A spec value as YAML writes it: true, false, null, the text itself, 8000 (not 8000.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value) if value is None or isinstance(value, bool) else str(value)


def spec_changes(old: str, new: str) -> str:
    """What the user changed between two specs, for the line that refuses a data loss: the
    diff names resources and their properties, and the spec field behind them (a renamed
    mission, a moved region) is what there is to revert. '' when OLD is no spec."""
    from ..spec import load_spec

    if not (old and is_spec_path(old) and is_spec_path(new)):
        return ""
    changes = _field_changes(load_spec(old).model_dump(mode="json"), load_spec(new).model_dump(mode="json"))
    changes.sort(key=_shown_first)  # stable: each section's fields keep their order
    shown = [
        c.path
        if isinstance(c.old, dict | list) or isinstance(c.new, dict | list)
        else f"{c.path} ({_as_written(c.old)} => {_as_written(c.new)})"
        for c in changes
    ]
    # whole fields only, as many as the line holds: cut to fit it, a field's name was cut in half
    # (`ground_segment.post_pa…s`, no field of the spec)
    named: list[str] = []
    for field in shown[:SPEC_CHANGES_SHOWN]:
        if named and len(", ".join([*named, field])) > SPEC_CHANGES_CHARS:
            break
        named.append(field)
    rest = len(shown) - len(named)
    return ", ".join(named) + (f" and {rest} more" if rest else "")


# The spec's sections whose fields shape the stores (what a data loss comes from) are named first;
# processing among them (its mode and switch decide the artifacts bucket and the processor's
# containers), and a number that tunes (a count, a rate, a size) after every switch and name: a
# contacts-per-day change beside processing.mode named eight tunables and hid the cause.
_SHOWN_FIRST = (
    "storage",
    "clouds",
    "mission",
    "security",
    "delivery",
    "processing",
    "ground_segment",
    "analytics",
    "satellites",
)
SPEC_CHANGES_SHOWN = 8
# What the named fields may take of the refusal's line (inputs.MAX_LINE is 500 in all).
SPEC_CHANGES_CHARS = 320


# Fields that only label or size the stacks (tags, the owner tag, budget, usage figures): never
# the cause of a data loss, so named after every other change; an owner and eight tags edited
# beside analytics.telemetry_stream pushed the cause itself into "and 3 more".
_SHOWN_LAST = ("mission.owner", "mission.tags", "mission.data_classification", "budget", "usage")


def _shown_first(change: PropertyChange) -> tuple[int, int]:
    if change.path.startswith(_SHOWN_LAST):
        return 2, 0
    section = change.path.split(".")[0].split("[")[0]
    rank = _SHOWN_FIRST.index(section) if section in _SHOWN_FIRST else len(_SHOWN_FIRST)
    return (1 if _tunes(change) else 0), rank


def _tunes(change: PropertyChange) -> bool:
    """A number that sizes or schedules (contacts a day, a rate, memory), not a retention (a
    `..._days`, which cuts stored data) nor a store's storage section's."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (change.old, change.new))
    field = change.path.rsplit(".", 1)[-1]
    return numbers and not field.endswith("_days") and not change.path.startswith("storage.")


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[PropertyChange]:
    """The spec's changed fields. A list item matched by name and renamed in place (a satellite's
    `name`) is one item edited, its fields compared, not an item removed and another added at the
    same place (which named `satellites[0]` twice, without values)."""
    changes = list(leaf_changes(old, new))
    removed = {c.path: c for c in changes if c.kind == "-" and isinstance(c.old, dict)}
    found: list[PropertyChange] = []
    for change in changes:
        if change.kind == "+" and isinstance(change.new, dict) and change.path in removed:
            found += leaf_changes(removed.pop(change.path).old, change.new, change.path)
        elif not (change.kind == "-" and change.path not in removed and isinstance(change.old, dict)):
            found.append(change)
    return found


def data_loss_lines(diffs: Sequence[Diff]) -> list[str]:
    """What the command refuses without --allow-data-loss, one line each, over every cloud's diff."""
    return [line for diff in diffs for line in diff.at_risk_lines()]


def unappliable_lines(diffs: Sequence[Diff]) -> list[str]:
    """The changes the clouds refuse, one line each, over every cloud's diff: refused whatever
    --allow-data-loss says, since applying them fails."""
    return [line for diff in diffs for line in diff.unappliable]
