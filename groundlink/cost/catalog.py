"""Price catalogs: data files in `prices/`, each entry with its source and date.

A price is never invented: an entry whose price is not known has `price: null`
and says what the user must supply. Users override entries (or fill unknowns)
with a `--prices` file; an override must carry its own source and date so the
report can still say where every number came from. Pure Python: no pulumi.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..clouds import CLOUDS
from ..resources import package_dir

if TYPE_CHECKING:
    from ..inputs import Document

# prices/ ships in the package as groundlink.prices, so an installed copy finds the catalogs too.
PRICES_DIR = package_dir("groundlink.prices")


def _date_text(value: Any) -> Any:
    """YAML reads unquoted 2026-09-11 as a date; keep dates as the text the user wrote."""
    return value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else value


DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD (e.g. '2026', '2026-12', '2026-12-02')"


def _printable(value: str | None) -> str | None:
    """A source, region or note goes into the report as text: a control character (NUL, ESC, a
    C1 code) made report.html a parse error and report.md binary to grep, and put escape codes
    on a CI log's terminal; a line or paragraph separator breaks the line, a bidi override
    reorders what is shown around it."""
    if value is None:
        return value
    bad = next((c for c in value if c != "\t" and (unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI)), None)
    if bad is not None:
        raise ValueError(
            f"holds the control character U+{ord(bad):04X}; allowed: printable text on one line (a tab is allowed)"
        )
    return value


# Bidirectional embeddings, overrides and isolates: they reorder the text around them when shown.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _iso_date(value: str) -> str:
    """A source's date as the catalogs write it: a year, a month or a day, ISO style and real
    (`2026-13` and `soon` are no dates)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    try:
        if match:
            _dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
            return value
    except ValueError:
        pass
    from ..inputs import show

    raise ValueError(f"{show(value)} is not a date; allowed: {DATE_FORMATS}")


class PriceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    price: float | None = Field(ge=0, description="USD for `per` units; null when not known.")
    unit: str = Field(min_length=1)
    per: float = Field(1, gt=0, description="How many units the price buys (1000 for 'per 1,000 requests').")
    region: str = Field(min_length=1)
    source: str = Field(min_length=1)
    date: str = Field(description=f"When the source was read: {DATE_FORMATS}.")
    secondary: bool = Field(False, description="Taken from a secondary source: treat as a default to override.")
    note: str | None = None
    supply: str | None = Field(None, description="For an unknown price: what the user must supply.")
    free_per_month: float = Field(
        0,
        ge=0,
        description="Units a month that cost nothing (a free tier, or what a base charge includes); "
        "only the quantity above it is billed. Assumes this stack is the account's only user of it.",
    )

    _date = field_validator("date", mode="before")(_date_text)
    _date_format = field_validator("date")(_iso_date)
    _text = field_validator("unit", "region", "source", "note", "supply")(_printable)

    @model_validator(mode="after")
    def _unknown_says_what_to_supply(self) -> PriceEntry:
        if self.price is None and not self.supply:
            raise ValueError("an unknown price (price: null) needs `supply`: what the user must provide")
        return self

    @property
    def known(self) -> bool:
        return self.price is not None

    def cost(self, quantity: float) -> float | None:
        """USD for `quantity` units a month; None when the price is unknown and the quantity
        exceeds the free allowance (within it the cost is known to be zero)."""
        billed = max(quantity - self.free_per_month, 0.0)
        if billed == 0:
            return 0.0
        return None if self.price is None else billed / self.per * self.price


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    cloud: str
    currency: str = "USD"
    prices: dict[str, PriceEntry]
    origin: str = ""

    def entry(self, price_id: str) -> PriceEntry:
        read = _READ.get()
        if read is not None:
            read.add((self.cloud, price_id))
        return self.prices[price_id]


# The (cloud, price id) pairs read while `prices_read` is open; None outside it.
_READ: ContextVar[set[tuple[str, str]] | None] = ContextVar("groundlink_prices_read", default=None)


@contextmanager
def prices_read() -> Iterator[set[tuple[str, str]]]:
    """The catalog entries read inside the block, by (cloud, price id). A report's figures rest
    on more prices than the spec's own cost lines: the choices price other configurations and
    the decision prices AWS Ground Station for a partner mission, so an override only they read
    still changes the report, and its source must be listed."""
    read: set[tuple[str, str]] = set()
    token = _READ.set(read)
    try:
        yield read
    finally:
        _READ.reset(token)


class Override(BaseModel):
    """One user-supplied price: the number plus where it comes from. Strict, as the spec is:
    YAML's `yes` or a quoted "5" is no price (pydantic would read them as 1.0 and 5.0)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    price: float = Field(ge=0)
    source: str = Field(min_length=1)
    date: str = Field(description=f"When the source was read: {DATE_FORMATS}.")
    region: str | None = Field(None, min_length=1)  # left out: see _region_of_unplaced
    note: str | None = None

    _date = field_validator("date", mode="before")(_date_text)
    _date_format = field_validator("date")(_iso_date)
    _text = field_validator("source", "region", "note")(_printable)


# An object of at least one byte (1 MB = 10^6 bytes): below that the object counts, and the
# request lines priced from them, have no meaning.
OBJECT_SIZE_MIN_MB = 1e-6


class Assumptions(BaseModel):
    """Cost-model assumptions the spec does not carry; overridable in the prices file. Strict,
    as a price is: `true` or a quoted "500" is no size."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    object_size_mb: float | None = Field(
        None,
        ge=OBJECT_SIZE_MIN_MB,
        description="Size of the product objects a contact's frame streams are written in, MB, for a "
        "pipeline that splits them. Unset: as groundlink's processor writes them, one object per "
        "virtual channel whatever its size (counted as one per downlink).",
    )


class OverrideFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    aws: dict[str, Override] = Field(default_factory=dict)
    azure: dict[str, Override] = Field(default_factory=dict)
    assumptions: Assumptions = Field(default_factory=Assumptions)


class PriceError(Exception):
    """A catalog or override file that cannot be used; one line per problem."""

    def __init__(self, lines: list[str]):
        from ..inputs import one_line

        self.lines = [one_line(line) for line in lines]  # a file name holding a newline stays on its line
        super().__init__("; ".join(self.lines))


def _read_yaml(path: Path, name: str | None = None) -> Document:
    """The YAML document in `path`, named `name` (as the user typed it) in a PriceError (one line,
    worded as for a spec) on any failure."""
    from ..inputs import InputTooLarge, not_utf8, read_input
    from ..spec import SpecError, _os_reason, read_yaml

    shown = str(path) if name is None else name
    try:
        text = read_input(path)
    except FileNotFoundError:
        raise PriceError([f"{shown}: no such price file"]) from None
    except InputTooLarge as exc:
        raise PriceError([f"{shown}: {exc}; not a price file"]) from None
    except UnicodeDecodeError as exc:
        raise PriceError([not_utf8(shown, exc, yaml_text=True)]) from None
    except (OSError, ValueError) as exc:  # a directory, no permission, a NUL in the name
        raise PriceError([f"{shown}: cannot read price file ({_os_reason(exc)})"]) from None
    try:
        return read_yaml(text, shown)
    except SpecError as exc:
        raise PriceError(exc.lines) from None


def _errors(path: Path | str, exc: ValidationError, document: Document, root: type[BaseModel]) -> PriceError:
    """One line per problem, naming the field path as the file spells it (`root`: the file's
    model) and, as a spec's errors do, its line and column."""
    from ..spec import describe_error, error_line

    lines = []
    for error in exc.errors(include_url=False):
        field, message = describe_error(error, document.data, root)
        where = document.where(field.parts())
        suffix = f" ({where})" if where else ""
        lines.append(error_line(str(path), field.text() or "the whole file", message, suffix))
    return PriceError(list(dict.fromkeys(lines)))


def load_catalog(cloud: str, directory: Path = PRICES_DIR) -> Catalog:
    """The catalog of `cloud` in `directory`, read once per version of its file: a Catalog is
    frozen, and every compare, plan and check of a process reads both (10 ms each)."""
    path = directory / f"{cloud}.yaml"
    try:
        info = path.stat()
    except OSError:
        return _load_catalog(cloud, path)  # the error, in words
    return _load_catalog_version(cloud, path, info.st_mtime_ns, info.st_size, info.st_ino)


@functools.lru_cache(maxsize=8)
def _load_catalog_version(cloud: str, path: Path, _mtime_ns: int, _size: int, _inode: int) -> Catalog:
    return _load_catalog(cloud, path)


def _load_catalog(cloud: str, path: Path) -> Catalog:
    document = _read_yaml(path)
    data = {} if document.data is None else document.data
    try:
        if not isinstance(data, dict):
            Catalog.model_validate(data)  # refused: the one line says what the file must be
        catalog = Catalog.model_validate({**data, "origin": str(path)})
    except ValidationError as exc:
        raise _errors(path, exc, document, Catalog) from None
    if catalog.cloud != cloud:
        raise PriceError([f"{path}: cloud: {catalog.cloud!r} should be {cloud!r}"])
    return catalog


OVERRIDE_KEYS = ", ".join(OverrideFile.model_fields)
# What an overridden price's source ends with, before the file it came from: the report finds the
# overrides by it (report/sections.py `unused_overrides`).
OVERRIDE_MARK = " (override: "


def _read_overrides(given: str | Path) -> tuple[OverrideFile, Document]:
    path = Path(given)
    name = given if isinstance(given, str) else str(given)  # named as typed: `./prices.yaml`
    document = _read_yaml(path, name)
    if document.data is None:  # no YAML value at all: nothing, blanks, comments or null
        raise PriceError(
            [
                f"{name}: holds no overrides; a price override file is a YAML mapping with any of "
                f"{OVERRIDE_KEYS} (docs/compare.md, Overrides)"
            ]
        )
    try:
        return OverrideFile.model_validate(document.data), document
    except ValidationError as exc:
        raise _errors(name, exc, document, OverrideFile) from None


def load_overrides(path: str | Path) -> OverrideFile:
    return _read_overrides(path)[0]


def apply_overrides(
    catalog: Catalog, overrides: OverrideFile, origin: str = "--prices", document: Document | None = None
) -> Catalog:
    """The catalog with the user's prices in place; an unknown price id is an error, with a
    suggestion (and its line and column when `document` holds the YAML it came from)."""
    from ..inputs import did_you_mean

    chosen: dict[str, Override] = getattr(overrides, catalog.cloud)
    problems = []
    prices = dict(catalog.prices)
    for price_id, override in chosen.items():
        if price_id not in prices:
            hint = did_you_mean(price_id, prices)
            where = document.where((catalog.cloud, price_id)) if document else ""
            suffix = f" ({where})" if where else ""
            problems.append(f"{origin}: {catalog.cloud}.{price_id}: unknown price id{hint}{suffix}")
            continue
        base = prices[price_id]
        prices[price_id] = base.model_copy(
            update={
                "price": override.price,
                "source": f"{override.source}{OVERRIDE_MARK}{origin})",
                "date": override.date,
                "region": override.region or _region_of_unplaced(base.region),
                # the catalog's note is a caveat on the catalog's figure (a measurement without a
                # source, a date that is another source's), said as such beside the user's own
                "note": override.note or (f"{CATALOG_NOTE_MARK}{base.note}" if base.note else None),
                "secondary": False,
                "supply": None,
            }
        )
    if problems:
        raise PriceError(problems)
    return catalog.model_copy(update={"prices": prices})


# A catalog entry's region that is the stack's own, whatever it is: the user supplies the figure.
STACK_REGION = ("stack region", "stack location")
# The region of a price given with --prices and no `region`: not known, so listed among the prices
# whose region is not their line's (cost.model.other_regions) rather than shown as the catalog's.
REGION_NOT_STATED = "not stated by the override"


def _region_of_unplaced(catalog_region: str) -> str:
    """An override's region when it states none. A catalog region names where the catalog's
    figure holds (a region, a location, a pair of regions, a site), which says nothing of the
    user's; only "stack region" or "stack location" (the user's own figure for the stack's, the
    catalog holding none) holds for the user's figure as for the catalog's."""
    return catalog_region if catalog_region in STACK_REGION else REGION_NOT_STATED


# What an override without a note of its own keeps of the catalog's: the caveat, said as the catalog's.
CATALOG_NOTE_MARK = "the catalog's note on its own figure, not on this override: "


def load_catalogs(
    overrides_path: str | Path | None = None, directory: Path = PRICES_DIR
) -> tuple[dict[str, Catalog], Assumptions]:
    """Both clouds' catalogs with the user's overrides applied, and the cost assumptions."""
    overrides, document = _read_overrides(overrides_path) if overrides_path else (OverrideFile(), None)
    origin = str(overrides_path) if overrides_path else ""
    catalogs = {cloud: apply_overrides(load_catalog(cloud, directory), overrides, origin, document) for cloud in CLOUDS}
    return catalogs, overrides.assumptions
