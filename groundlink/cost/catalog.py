"""Price catalogs: data files in `prices/`, each entry with its source and date.

A price is never invented: an entry whose price is not known has `price: null`
and says what the user must supply. Users override entries (or fill unknowns)
with a `--prices` file; an override must carry its own source and date so the
report can still say where every number came from. Pure Python: no pulumi.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..clouds import CLOUDS
from ..resources import package_dir

# prices/ ships in the package as groundlink.prices, so an installed copy finds the catalogs too.
PRICES_DIR = package_dir("groundlink.prices")


def _date_text(value: Any) -> Any:
    """YAML reads unquoted 2026-09-11 as a date; keep dates as the text the user wrote."""
    return value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else value


class PriceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    price: float | None = Field(ge=0, description="USD for `per` units; null when not known.")
    unit: str = Field(min_length=1)
    per: float = Field(1, gt=0, description="How many units the price buys (1000 for 'per 1,000 requests').")
    region: str = Field(min_length=1)
    source: str = Field(min_length=1)
    date: str = Field(min_length=4)
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
        return self.prices[price_id]


class Override(BaseModel):
    """One user-supplied price: the number plus where it comes from. Strict, as the spec is:
    YAML's `yes` or a quoted "5" is no price (pydantic would read them as 1.0 and 5.0)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    price: float = Field(ge=0)
    source: str = Field(min_length=1)
    date: str = Field(min_length=4)
    region: str | None = Field(None, min_length=1)  # left out: the catalog entry's region
    note: str | None = None

    _date = field_validator("date", mode="before")(_date_text)


class Assumptions(BaseModel):
    """Cost-model assumptions the spec does not carry; overridable in the prices file."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    object_size_mb: float = Field(
        1959.0,
        gt=0,
        description="Average object size landed in the stores, MB. Default: a NOAA-20 DigIF "
        "contact wrote 22 objects for 43.1 GB (community measurement, 2026-08-31).",
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


def _read_yaml(path: Path) -> Any:
    from ..inputs import InputTooLarge, read_input
    from ..spec import SpecError, parse_yaml

    try:
        text = read_input(path)
    except FileNotFoundError:
        raise PriceError([f"{path}: no such file"]) from None
    except InputTooLarge as exc:
        raise PriceError([f"{path}: {exc}; not a price file"]) from None
    except UnicodeDecodeError as exc:
        raise PriceError([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise PriceError([f"{path}: cannot read ({exc})"]) from None
    try:
        return parse_yaml(text, str(path))
    except SpecError as exc:
        raise PriceError(exc.lines) from None


def _errors(path: Path, exc: ValidationError, data: Any, root: type[BaseModel]) -> PriceError:
    """One line per problem, naming the field path as the file spells it (`root`: the file's model)."""
    from ..fieldpath import field_path, model_at
    from ..inputs import one_line, type_message

    lines = []
    for error in exc.errors(include_url=False):
        field = field_path(tuple(error["loc"]), data, error["type"])
        model = model_at(root, field.parts()) if error["type"] == "model_type" else None
        typed = type_message(error["type"], error.get("input"), model.model_fields if model else ())
        if field.key_error:
            message = "a key must be text; put it in quotes"
        elif error["type"] == "missing":
            message = "is required"
        else:
            message = typed or error["msg"].removeprefix("Value error, ")
        where = field.text() or "the whole file"
        lines.append(one_line(f"{path}: {where}: {message}"))
    return PriceError(lines)


def load_catalog(cloud: str, directory: Path = PRICES_DIR) -> Catalog:
    path = directory / f"{cloud}.yaml"
    data = _read_yaml(path)
    try:
        catalog = Catalog.model_validate({**(data or {}), "origin": str(path)})
    except ValidationError as exc:
        raise _errors(path, exc, data, Catalog) from None
    if catalog.cloud != cloud:
        raise PriceError([f"{path}: cloud: {catalog.cloud!r} should be {cloud!r}"])
    return catalog


def load_overrides(path: str | Path) -> OverrideFile:
    path = Path(path)
    data = _read_yaml(path)
    if data is None:
        return OverrideFile()
    try:
        return OverrideFile.model_validate(data)
    except ValidationError as exc:
        raise _errors(path, exc, data, OverrideFile) from None


def apply_overrides(catalog: Catalog, overrides: OverrideFile, origin: str = "--prices") -> Catalog:
    """The catalog with the user's prices in place; an unknown price id is an error, with a suggestion."""
    chosen: dict[str, Override] = getattr(overrides, catalog.cloud)
    problems = []
    prices = dict(catalog.prices)
    for price_id, override in chosen.items():
        if price_id not in prices:
            guess = difflib.get_close_matches(price_id, prices, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            problems.append(f"{origin}: {catalog.cloud}.{price_id}: unknown price id{hint}")
            continue
        base = prices[price_id]
        prices[price_id] = base.model_copy(
            update={
                "price": override.price,
                "source": f"{override.source} (override: {origin})",
                "date": override.date,
                "region": override.region or base.region,
                "note": override.note or base.note,
                "secondary": False,
                "supply": None,
            }
        )
    if problems:
        raise PriceError(problems)
    return catalog.model_copy(update={"prices": prices})


def load_catalogs(
    overrides_path: str | Path | None = None, directory: Path = PRICES_DIR
) -> tuple[dict[str, Catalog], Assumptions]:
    """Both clouds' catalogs with the user's overrides applied, and the cost assumptions."""
    overrides = load_overrides(overrides_path) if overrides_path else OverrideFile()
    origin = str(overrides_path) if overrides_path else ""
    catalogs = {cloud: apply_overrides(load_catalog(cloud, directory), overrides, origin) for cloud in CLOUDS}
    return catalogs, overrides.assumptions
