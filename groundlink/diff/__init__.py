"""`groundlink diff`: what applying a new spec does to each resource of a deployed stack.

OLD is a spec, a saved plan or a `pulumi stack export` checkpoint; NEW is a spec. Each
resource is created, updated (with its property diff), replaced (naming the property that
forces it, from the providers' own metadata) or deleted. Deleting or replacing a stateful
resource is data loss, which commands refuse unless told otherwise.
"""

from .changes import Change, Diff, PropertyChange, diff_states
from .render import render_text
from .state import State, StateError, from_document, from_plan, load_states

__all__ = [
    "Change",
    "Diff",
    "PropertyChange",
    "State",
    "StateError",
    "diff_states",
    "from_document",
    "from_plan",
    "load_states",
    "render_text",
]
