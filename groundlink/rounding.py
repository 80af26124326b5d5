"""Figures as a person rounds them: half up from the decimal figure a float reads back as.

Python's own formatting (`f"{x:.1f}"`) rounds the float's binary value half to even, so 1012.5
MB printed as 1,012 beside tables that show 1,013. Every figure the toolkit writes in a report
or a sentence goes through here, in the cost model as in the report."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, localcontext

# Every digit of the largest float (1.8e308) and more places than any figure shows: Decimal's
# default precision, 28 digits, refused to round a cost past about 1e25 (a large --prices
# override) and rounded the sums of such costs.
_DIGITS = 360


@contextmanager
def exact_decimals() -> Iterator[None]:
    """Decimal arithmetic on figures read from floats stays exact inside this block."""
    with localcontext() as context:
        context.prec = _DIGITS
        yield


def half_up(value: float | Decimal, decimals: int) -> Decimal:
    """`value` to `decimals` places, rounded half up from its decimal figure (the shortest one
    that reads back as the float), as a person rounds it. Formatting the float itself rounds
    its binary value: 1324.35 is stored just under 1324.35 and showed as 1,324.3."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    with exact_decimals():
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def figure(value: float | Decimal, decimals: int) -> str:
    """`value` with thousands separators and exactly `decimals` places, rounded half up."""
    return f"{half_up(value, decimals):,.{decimals}f}"


def count_figure(value: float, decimals: int = 1) -> str:
    """A count that is whole more often than not (contacts a month: 91.25, or 4,380): `figure`'s
    places where it has a fraction, none where it is whole at them ("4,380.0 contacts" read as
    a fraction of a contact)."""
    text = figure(value, decimals)
    return text.split(".")[0] if "." in text and not text.split(".")[1].strip("0") else text


def exact_figure(value: float) -> str:
    """A figure as the spec (or a catalog) gives it, every digit kept, with thousands separators
    and never in scientific notation: `:g` wrote the spec's 1,234,567 GB as 1.23457e+06, 0.00001 TB
    as 1e-05 and 730,000,000 queries without separators. A float shows the shortest decimal that
    reads back as it (2300.0004 stays 2,300.0004), an int every digit."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # inf, nan: no figure to write out
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    with exact_decimals():
        return f"{exact.normalize():,f}"


def percent(share: float) -> str:
    """A share (0-1) as a percentage, whole where it is whole at one place (0%, 25%, 12.5%), with
    as many more places as it takes for a share above 0 not to read 0% and one below 1 not to
    read 100% (0.04%, 99.96%): a line priced on a sliver said "0% of the minutes"."""
    value = share * 100
    places = 1
    while True:  # a float above 0 shows a digit within 330 places, and one below 100 within 17
        text = count_figure(value, places)
        if ((text != "0" or value <= 0) and (text != "100" or value >= 100)) or places > 340:
            return f"{text}%"
        places += 1


def figure_under(value: float, limit: float, decimals: int) -> str:
    """`value` (under `limit`) with `decimals` places, or as many more as it takes to show it
    under `limit`, and not as 0 unless it is: a sentence saying a network gives fewer contacts
    than planned read "plans 2.9 contacts/day, but ... can give 2.9" for 2.857, rounded half up,
    and a pass of 0.144 s over a 10-minute plan read "the longest lasts 0.00 min"."""
    for places in range(decimals, decimals + 7):
        text = figure(value, places)
        shown = float(text.replace(",", ""))
        if shown < limit and (shown != 0 or value == 0):
            return text
    return figure(value, decimals + 7)


# The decimals compare.json keeps of an amount (totals, the decision's figures): a sentence rounds
# the same 6-decimal figure the tables round, so one amount never reads a cent apart in two places.
MONEY_DECIMALS = 6


def dollars(value: float | Decimal) -> str:
    """An amount in a sentence: `$1,234.57`, to the cent, rounded half up from the figure
    compare.json keeps (MONEY_DECIMALS): 11,544.8749997 is 11,544.875 there and $11,544.88 here."""
    kept = value if isinstance(value, Decimal) else round(float(value), MONEY_DECIMALS)
    return f"${figure(kept, 2)}"


def shown_amount(value: float | Decimal) -> Decimal:
    """A cost as the report shows it: to the cent, or to 4 places under a cent, rounded half up
    (`half_up`): 9.855 + 21.9 + 73 is stored just under 104.755, and showed as $104.75 beside
    lines of $9.86, $21.90, $73.00."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return half_up(exact, 4 if 0 < abs(exact) < Decimal("0.01") else 2)


def amount_text(value: float | Decimal) -> str:
    """An amount as every rendering shows it (`shown_amount`), a positive one under $0.0001 as
    "<$0.0001", never as none: the decision's sentence read "less than $0.00/min" where its table
    and chart read "<$0.0001/min" for the same break-even."""
    amount = shown_amount(value)
    if amount == 0 and value > 0:
        return "<$0.0001"
    return f"${amount:,.4f}" if amount.as_tuple().exponent == -4 else f"${amount:,.2f}"


def same_to_the_cent(a: float, b: float) -> bool:
    """Whether two amounts read the same as the report shows them: a sentence calling one of
    two equal totals cheaper ("AWS costs $12,166.67/month against $12,166.67") is no decision."""
    with exact_decimals():
        return shown_amount(round(a, MONEY_DECIMALS)) == shown_amount(round(b, MONEY_DECIMALS))


def dollars_apart(a: float, b: float) -> str:
    """How far apart two amounts are, as a reader works it out from the two figures shown beside
    the sentence: each as shown first (`shown_amount` of the figure compare.json keeps), then
    their difference. The difference of the unrounded amounts, rounded, read $92.06 beside
    $48.57 and $140.62."""
    with exact_decimals():
        return dollars(abs(shown_amount(round(a, MONEY_DECIMALS)) - shown_amount(round(b, MONEY_DECIMALS))))


RATE_DIGITS = 6  # significant digits a unit price keeps


def rate(value: float) -> str:
    """A unit price, with all its digits (up to RATE_DIGITS): $0.0125 must not print as $0.01, nor
    $1.027 as $1.03; and never in scientific notation ($0.0000133334, not $1.33334e-05). A
    partner's price per minute is one: $7.555/min is not $7.56/min beside totals made with $7.555."""
    if round(value, 2) == value:
        return f"${value:,.2f}"
    decimals = max(2, RATE_DIGITS - 1 - math.floor(math.log10(abs(value))))
    whole, _, fraction = f"{half_up(value, decimals):,f}".partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"  # 1.0000001 is $1.00, not $1.


NAMES_SHOWN = 3  # names said in a line about many; a table beside it names them all


def some_of(names: list[str]) -> str:
    """The first NAMES_SHOWN names, and how many more."""
    more = len(names) - NAMES_SHOWN
    return ", ".join(names[:NAMES_SHOWN]) + (f" and {more:,} more" if more > 0 else "")


def counted(n: int, noun: str) -> str:
    """`1 satellite`, `2 satellites`: a count in a summary reads as a sentence."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
