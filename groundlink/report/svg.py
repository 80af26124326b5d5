"""A small SVG plotter for the report's three charts: axes, ticks, bars, lines, bands, text.

Why not matplotlib: importing it and laying out three figures costs 1.2-2 CPU seconds, more
than planning a stack, and `groundlink compare` must stay within 1.5x a single plan. These
charts are bars and polylines over linear or log axes, which SVG states directly; the
output is vector, a few kilobytes, and embeds in report.html with no external resource.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from ..rounding import figure

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
CHAR_WIDTH = 0.6  # of the font size: a width estimate for laying out labels


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


TITLE_SIZE = 13
TITLE_MARGIN = 6  # the least room between a title and the canvas' edge


def title_lines(title: str, room: float, size: float = TITLE_SIZE) -> tuple[float, list[str]]:
    """A chart title within `room` pixels: on one line, else on two split between words (a
    mission name at its 32 characters plus a break-even remark ran off both edges), else on two
    in a smaller font. Returns the font size and the lines."""
    words = title.split(" ")
    while True:
        if text_width(title, size) <= room:
            return size, [title]
        for cut in range(len(words) - 1, 0, -1):
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            if text_width(first, size) <= room and text_width(second, size) <= room:
                return size, [first, second]
        if size <= 8:
            return size, [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        size -= 1


def spread(ys: Sequence[float], gap: float, low: float = -math.inf, high: float = math.inf) -> list[float]:
    """`ys` (label baselines, in any order) moved apart to at least `gap` from each other, in the
    same order as given: labels of lines that end close together were drawn on top of each other.
    Only labels that crowd move: each crowd is centred on where its own labels wanted to be (a
    lone label stays at its line's end), then kept within `low`-`high` where the room allows."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    groups: list[list[float]] = []  # each a crowd's wanted places, in order
    for i in order:
        groups.append([ys[i]])
        while len(groups) > 1:  # a crowd whose spread reaches the one below merges with it
            upper, lower = groups[-2], groups[-1]
            top_of_lower = sum(lower) / len(lower) - gap * (len(lower) - 1) / 2
            bottom_of_upper = sum(upper) / len(upper) + gap * (len(upper) - 1) / 2
            if top_of_lower - bottom_of_upper >= gap:
                break
            groups[-2:] = [upper + lower]
    placed: list[float] = []
    for group in groups:
        first = sum(group) / len(group) - gap * (len(group) - 1) / 2
        placed += [first + k * gap for k in range(len(group))]
    if placed and high - low >= gap * (len(placed) - 1):
        shift = max(low - placed[0], 0.0) + min(high - placed[-1], 0.0)
        placed = [y + shift for y in placed]
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def _nice_step(span: float, count: int) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks."""
    raw = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


@dataclass
class Axis:
    """A data range mapped onto [0, 1]; `log` maps decades evenly (values must be > 0)."""

    low: float
    high: float
    log: bool = False

    @classmethod
    def fitting(cls, values: Sequence[float], log: bool = False, zero: bool = True) -> Axis:
        """A range holding every value, widened to round ticks (from 0 when `zero`)."""
        if log:
            positive = [v for v in values if v > 0] or [1.0]
            return cls(10 ** math.floor(math.log10(min(positive))), 10 ** math.ceil(math.log10(max(positive))), True)
        low = min([*values, 0.0] if zero else values)
        high = max(values)
        if high <= low:
            high = low + 1
        step = _nice_step(high - low, 5)
        return cls(math.floor(low / step) * step, math.ceil(high / step) * step)

    def fraction(self, value: float) -> float:
        if self.log:
            value = max(value, self.low)
            return (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        return (value - self.low) / (self.high - self.low)

    def ticks(self) -> list[float]:
        if self.log:
            return [10.0**e for e in range(round(math.log10(self.low)), round(math.log10(self.high)) + 1)]
        step = _nice_step(self.high - self.low, 5)
        first = math.ceil(self.low / step - 1e-9)
        places = _places(step)  # a fixed 10 places made every tick of a step under 1e-10 read 0
        return [round(i * step, places) for i in range(first, math.floor(self.high / step + 1e-9) + 1)]

    def places(self) -> int:
        """The decimals that tell every tick apart: the step's on a linear axis (0.002 needs
        three), the lowest decade's on a log one (0.00001 needs five)."""
        if self.log:
            return max(0, -round(math.log10(self.low)))
        return _places(_nice_step(self.high - self.low, 5))

    def labelled(self) -> list[tuple[float, str]]:
        """Each tick and its label, all to the axis' places."""
        places = self.places()
        return [(value, tick_label(value, places)) for value in self.ticks()]


def _places(step: float) -> int:
    """The fewest decimals that write `step` (1, 2, 2.5 or 5 times a power of ten): 50 needs
    none, 2.5 one, 0.002 three, 0.025 three."""
    return next(p for p in range(400) if abs(round(step, p) - step) <= step * 1e-9)


def tick_label(value: float, places: int) -> str:
    """A tick's figure to the axis' `places`, with thousands separators, less trailing zeros
    (0.5, not 0.500). Two decimals for every linear axis labelled the ticks of [0, 0.008] 0, 0, 0,
    0.01, 0.01; a log axis's `:g` wrote 0.00001 as 1e-05."""
    text = figure(value, places)
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Canvas:
    """An SVG document built element by element."""

    width: float
    height: float
    parts: list[str] = field(default_factory=list)

    def add(self, tag: str, text: str = "", /, **attrs: str | float) -> None:
        rendered = " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(_attr(v))}"' for k, v in attrs.items())
        self.parts.append(f"<{tag} {rendered}>{escape(text)}</{tag}>" if text else f"<{tag} {rendered}/>")

    def text(
        self, x: float, y: float, text: str, size: float = 11, anchor: str = "start", **attrs: str | float
    ) -> None:
        self.add("text", text, x=x, y=y, font_size=size, text_anchor=anchor, **attrs)

    def svg(self, title: str) -> bytes:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" height="{self.height:.0f}" '
            f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" font-family="{escape(FONT)}">'
            f"<title>{escape(title)}</title>"
            f'<rect x="0" y="0" width="{self.width:.0f}" height="{self.height:.0f}" fill="white"/>'
        )
        return "\n".join([head, *self.parts, "</svg>\n"]).encode("utf-8")


def _attr(value: str | float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs)


@dataclass
class Plot:
    """One axes box on a canvas: draws in data coordinates, frames itself with ticks and labels."""

    canvas: Canvas
    left: float
    top: float
    right: float
    bottom: float
    x: Axis
    y: Axis

    def px(self, value: float) -> float:
        return self.left + self.x.fraction(value) * (self.right - self.left)

    def py(self, value: float) -> float:
        return self.bottom - self.y.fraction(value) * (self.bottom - self.top)

    def frame(
        self,
        title: str,
        xlabel: str,
        ylabel: str = "",
        grid: bool = True,
        xticks: Sequence[tuple[float, str]] | None = None,
        yticks: Sequence[tuple[float, str]] | None = None,
    ) -> None:
        c = self.canvas
        xs = xticks if xticks is not None else self.x.labelled()
        ys = yticks if yticks is not None else self.y.labelled()
        for value, label in xs:
            x = self.px(value)
            if grid:
                c.add("line", x1=x, y1=self.top, x2=x, y2=self.bottom, stroke="#dddddd")
            c.add("line", x1=x, y1=self.bottom, x2=x, y2=self.bottom + 4, stroke="#333333")
            c.text(x, self.bottom + 16, label, anchor="middle", size=10)
        for value, label in ys:
            y = self.py(value)
            if grid:
                c.add("line", x1=self.left, y1=y, x2=self.right, y2=y, stroke="#dddddd")
            c.add("line", x1=self.left - 4, y1=y, x2=self.left, y2=y, stroke="#333333")
            c.text(self.left - 7, y + 3.5, label, anchor="end", size=10)
        c.add(
            "rect",
            x=self.left,
            y=self.top,
            width=self.right - self.left,
            height=self.bottom - self.top,
            fill="none",
            stroke="#333333",
        )
        middle = (self.left + self.right) / 2
        size, lines = title_lines(title, c.width - 2 * TITLE_MARGIN)
        for i, line in enumerate(lines):  # the last line just above the plot, the others above it
            width = text_width(line, size)
            x = min(max(middle, TITLE_MARGIN + width / 2), c.width - TITLE_MARGIN - width / 2)
            c.text(x, self.top - 10 - (len(lines) - 1 - i) * (size + 2), line, anchor="middle", size=size)
        c.text(middle, self.bottom + 34, xlabel, anchor="middle", size=11)
        if ylabel:
            centre = (self.top + self.bottom) / 2
            c.text(
                self.left - 52,
                centre,
                ylabel,
                anchor="middle",
                size=11,
                transform=f"rotate(-90 {self.left - 52:.1f} {centre:.1f})",
            )

    def hbar(self, y: float, height: float, value: float, color: str) -> None:
        """A horizontal bar from the axis' low end to `value`, centred on `y` (data units)."""
        top, bottom = self.py(y - height / 2), self.py(y + height / 2)
        if value > self.x.low:
            self.canvas.add(
                "rect",
                x=self.left,
                y=min(top, bottom),
                width=self.px(value) - self.left,
                height=abs(bottom - top),
                fill=color,
            )

    def line(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        color: str,
        width: float = 1.5,
        dash: str = "",
        marker: bool = False,
        opacity: float = 1.0,
    ) -> None:
        points = [(self.px(x), self.py(y)) for x, y in zip(xs, ys, strict=True)]
        extra: dict[str, str | float] = {"stroke_dasharray": dash} if dash else {}
        self.canvas.add(
            "polyline",
            points=_points(points),
            fill="none",
            stroke=color,
            stroke_width=width,
            stroke_opacity=opacity,
            **extra,
        )
        for x, y in points if marker else []:
            self.canvas.add("circle", cx=x, cy=y, r=2.5, fill=color)

    def band(
        self, xs: Sequence[float], low: Sequence[float], high: Sequence[float], color: str, opacity: float
    ) -> None:
        """The area between two series."""
        upper = [(self.px(x), self.py(y)) for x, y in zip(xs, high, strict=True)]
        lower = [(self.px(x), self.py(y)) for x, y in zip(xs, low, strict=True)]
        self.canvas.add("polygon", points=_points(upper + lower[::-1]), fill=color, fill_opacity=opacity, stroke="none")

    def vline(self, x: float, color: str, dash: str = "2 3") -> None:
        self.canvas.add(
            "line", x1=self.px(x), y1=self.top, x2=self.px(x), y2=self.bottom, stroke=color, stroke_dasharray=dash
        )

    def legend(self, entries: Sequence[tuple[str, str, str]], corner: str = "upper left") -> None:
        """entries: (label, color, kind) with kind 'line', 'dash' or 'box'."""
        if not entries:
            return
        size, row = 10, 15
        width = 34 + max(text_width(label, size) for label, _, _ in entries)
        height = row * len(entries) + 8
        x = self.left + 8 if "left" in corner else self.right - 8 - width
        y = self.top + 8 if "upper" in corner else self.bottom - 8 - height
        c = self.canvas
        c.add("rect", x=x, y=y, width=width, height=height, fill="white", fill_opacity=0.85, stroke="#cccccc")
        for i, (label, color, kind) in enumerate(entries):
            middle = y + 4 + row * i + row / 2
            if kind == "box":
                c.add("rect", x=x + 6, y=middle - 5, width=20, height=10, fill=color, fill_opacity=0.5)
            else:
                extra: dict[str, str | float] = {"stroke_dasharray": "6 3"} if kind == "dash" else {}
                c.add("line", x1=x + 6, y1=middle, x2=x + 26, y2=middle, stroke=color, stroke_width=2, **extra)
            c.text(x + 30, middle + 3.5, label, size=size)


def stacked(series: Sequence[Sequence[float]]) -> list[list[float]]:
    """Running sums: the upper edge of each layer of a stacked area."""
    totals = [0.0] * (len(series[0]) if series else 0)
    out = []
    for values in series:
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        out.append(list(totals))
    return out
