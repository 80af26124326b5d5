"""The progress display of a running comparison: one spinner per step (each cloud's
plan, the policy pack, the analysis, the report) that turns into a check mark with its time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


class Steps:
    """Named steps shown as spinners that turn into check marks with their time."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.live = False

    def start(self, key: str, label: str) -> None:
        if not self.live:  # the display's thread starts only now, after the plan workers are forked
            self.progress.start()
            self.live = True
        self.tasks[key] = self.progress.add_task(label, total=1)

    def done(self, key: str, note: str = "") -> None:
        task = self.tasks[key]
        if note:
            label = self.progress.tasks[task].description
            self.progress.update(task, description=f"{label} [dim]{note}[/]")
        self.progress.update(task, completed=1)


@contextmanager
def steps(console: Console) -> Iterator[Steps]:
    progress = Progress(
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        refresh_per_second=4,  # a spinner and whole seconds: more redraws would only take CPU from the plans
    )
    shown = Steps(progress)
    try:
        yield shown
    finally:
        if shown.live:
            progress.stop()
