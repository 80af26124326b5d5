"""The time a run is dated by: now, or the time a user pins with SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import os

from .errors import UsageError

# The time a build records, where a user pins it (reproducible-builds.org, "SOURCE_DATE_EPOCH":
# "The value MUST be an ASCII representation of an integer with no fractional component, identical
# to the output format of date +%s").
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def pinned_time() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, None where it is unset or empty. A value that is no
    whole number of seconds (`1.5`, `-1`, ` 1`, fullwidth digits, past the year 9999) is a
    UsageError, one line, for every command alike: `plan` took the real month where `compare`
    refused the same value."""
    pinned = os.environ.get(SOURCE_DATE_EPOCH)
    if pinned is None or pinned == "":
        return None
    try:
        if not pinned.isascii() or not pinned.isdigit():
            raise ValueError(pinned)
        return dt.datetime.fromtimestamp(int(pinned), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"{SOURCE_DATE_EPOCH}: {pinned!r} is not a time; allowed: whole seconds since 1970-01-01 UTC, as "
            "`date +%s` prints them, or unset"
        ) from None
