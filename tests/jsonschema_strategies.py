"""hypothesis-jsonschema's `from_schema`, working with the locked Hypothesis.

hypothesis-jsonschema 0.23.1 draws object properties with `many(...).more()`, which
Hypothesis 6.170 replaced by `with many(...) as elements: for _ in elements:`. The adapter
below offers `more()` on top of the new protocol, so generated specs exercise every object
of the schema (without it, any object with free keys, such as mission.tags, fails to
generate). Drop it when the lock moves to a hypothesis-jsonschema that speaks the new API.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis_jsonschema._from_schema as _from_schema
from hypothesis.internal.conjecture import utils as _cu
from hypothesis_jsonschema import from_schema

__all__ = ["from_schema"]


class _Many(_cu.many):
    def more(self) -> bool:
        if self._depth is None:
            self.__enter__()
            self._steps: Iterator[None] = iter(self)
        try:
            next(self._steps)
        except StopIteration:
            self.__exit__(None)
            return False
        return True


if not hasattr(_cu.many, "more"):

    class _Utils:
        many = _Many

    _from_schema.cu = _Utils
