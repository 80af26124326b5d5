"""CloudWatch Logs retention: the spec asks for days, CloudWatch accepts a fixed set."""

from __future__ import annotations

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy).
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def log_retention(days: int) -> int:
    """The shortest CloudWatch retention that keeps logs at least `days`."""
    return next((d for d in LOG_RETENTION_DAYS if d >= days), LOG_RETENTION_DAYS[-1])
