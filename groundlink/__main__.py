"""`python -m groundlink`: the same command line as the `groundlink` script, Ctrl-C handling
from its first line included (groundlink.console)."""

from .console import entry

entry()
