"""C library calls the processor makes through `ctypes`, where the C library has them.

`ctypes` releases the GIL for the call, and the process's own symbols are searched
(libc's among them): `ctypes.util.find_library` would run ldconfig at import, which a
Lambda cold start pays.
"""

from __future__ import annotations

import ctypes
from typing import Any


def function(name: str, argtypes: list[Any], restype: Any) -> Any | None:
    """The C library's `name`, typed, errno kept for `ctypes.get_errno`; None where it is not
    there (Windows takes no None for the process's own symbols: TypeError)."""
    try:
        call = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError, TypeError):
        return None
    call.argtypes = argtypes
    call.restype = restype
    return call
