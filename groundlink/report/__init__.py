"""The comparison report: run both plans, then parity, cost, coverage and policy, rendered
as terminal tables, report.md, a self-contained report.html and compare.json."""

from .compare import CompareResult, run_compare

__all__ = ["CompareResult", "run_compare"]
