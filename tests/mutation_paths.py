"""pytest plugin for `make mutation`: mutmut copies components/, policies/, prices/ and data/
beside groundlink/ under mutants/; the installed package maps them as groundlink.components
(and so on) to the checkout, so point those subpackages at the mutated copies instead."""

from __future__ import annotations

from pathlib import Path

import groundlink

_HERE = Path(__file__).resolve().parents[1]
if _HERE.name == "mutants":
    groundlink.__path__.append(str(_HERE))
