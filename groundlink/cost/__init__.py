"""The cost model: price catalogs (data files with sources) x usage derived from the spec.

Pure Python, no pulumi import: it reads a Blueprint and, optionally, captured
plans (plain data) to count what a rendering decided.
"""

from .catalog import Assumptions, Catalog, PriceEntry, PriceError, load_catalogs
from .model import PROJECTION_MONTHS, CloudCost, CostEstimate, Line, Total, estimate
from .usage import (
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    LONGEST_MONTH_DAYS,
    LONGEST_MONTH_FACTOR,
    MonthlyUsage,
    monthly_usage,
)

__all__ = [
    "DAYS_PER_MONTH",
    "HOURS_PER_MONTH",
    "LONGEST_MONTH_DAYS",
    "LONGEST_MONTH_FACTOR",
    "PROJECTION_MONTHS",
    "Assumptions",
    "Catalog",
    "CloudCost",
    "CostEstimate",
    "Line",
    "MonthlyUsage",
    "PriceEntry",
    "PriceError",
    "Total",
    "estimate",
    "load_catalogs",
    "monthly_usage",
]
