"""The contact processor: a contact's delivered capture files in, data products out.

Pure Python (dpkt, numpy, pyarrow), no cloud SDK: the same code runs on a
laptop (`groundlink process`), in a function (Lambda, Azure Functions) and in a
container job. docs/processing.md describes the formats and the products.
"""

from __future__ import annotations

from .config import CaptureFormat
from .errors import ProcessingError
from .processor import Contact, discover, process_contact
from .tables import CONTACT_SUMMARY, FRAME_INDEX, TABLES

__all__ = [
    "CONTACT_SUMMARY",
    "FRAME_INDEX",
    "TABLES",
    "CaptureFormat",
    "Contact",
    "ProcessingError",
    "discover",
    "process_contact",
]
