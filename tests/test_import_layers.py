"""The toolkit's modules form layers: no import cycle among them, and only the
application layer (the command line) imports the command line.

The graph is built from the source with `ast`, so imports inside functions
count too: a function-level import still ties two modules together.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping, Set
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "groundlink"
APPLICATION_LAYER = (
    "groundlink.__main__",
    "groundlink.console",
    "groundlink.cli",
    "groundlink.app",
)  # console: the script that starts the command line


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE_DIR.rglob("*.py")}


def _resolve(importer: str, is_package: bool, level: int, target: str | None) -> str:
    if level == 0:
        return target or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """module -> the groundlink modules it imports (anywhere in its body), including the
    packages whose __init__ such an import runs (except the importer's own ancestors).
    Read once per process: three tests ask."""
    modules = _modules()
    graph: dict[str, frozenset[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node.level, node.module)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        edges: set[str] = set()
        for target in found:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in modules and prefix != name and not name.startswith(prefix + "."):
                    edges.add(prefix)
        graph[name] = frozenset(edges)
    return graph


def cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    assert "groundlink.path_args" in graph["groundlink.cli"]  # imported at module level
    assert "groundlink.inputs" in graph["groundlink.cli"]  # imported inside _run()
    assert "groundlink.app.compare" in graph["groundlink.cli"]  # `from .app import compare` inside commands()
    assert "groundlink.engine" in graph["groundlink.check.runner"]  # `from ..engine import ...`


def test_the_cycle_finder_reports_a_cycle_with_its_members():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_among_groundlink_modules():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_only_the_application_layer_imports_the_command_line():
    graph = import_graph()
    offenders = sorted(
        name
        for name, targets in graph.items()
        if "groundlink.cli" in targets and not name.startswith(APPLICATION_LAYER)
    )
    assert not offenders, f"modules below the command line import it: {offenders}"


def test_processing_commands_start_without_the_spec_model_the_engine_or_the_provider_sdks(tmp_path: Path) -> None:
    """`process` and `query` read captures and products, never a spec: a laptop or a function
    runtime starting them pays for numpy, pyarrow and DuckDB, not for the spec model (pydantic
    validators) and the plan engine (the provider SDKs), about a third of their start-up."""
    import subprocess
    import sys

    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    products = tmp_path / "products"
    script = (
        "import json, sys\n"
        "from groundlink import cli\n"
        f"codes = [cli.main(['process', {str(tmp_path / 'raw')!r}, '--out', {str(products)!r}]),\n"
        f"         cli.main(['query', {str(products)!r}, 'select count(*) from frame_index'])]\n"
        "heavy = ('groundlink.spec', 'groundlink.engine', 'groundlink.blueprint', 'pulumi')\n"
        "print(json.dumps({'codes': codes, 'loaded': sorted(m for m in heavy if m in sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    import json

    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"codes": [0, 0], "loaded": []}, done.stderr
