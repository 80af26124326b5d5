"""The repository is self-contained: every document the code, specs, catalogs,
schema and docs cite is a file in the repository, every `docs/facts.md §N`
names a section that exists, and nothing cites a file outside the checkout."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import ROOT, is_virtualenv

TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".j2", ".toml", ".txt", ".cfg"}
# mutants/ holds make mutation's copies; hidden directories (.git, .venv, caches) and *.egg-info too
SKIP_DIRS = {"out", "build", "dist", "__pycache__", "mutants"}
OUTPUTS = {"report.md"}  # files the tools write, named but not cited
THIS_FILE = Path(__file__).resolve()
MD_MENTION = re.compile(r"(?<![\w/.-])((?:\.\./)*[\w./-]*[\w-]+\.md)(?![\w-]|\.\w)")
FACTS_SECTION = re.compile(r"docs/facts\.md §(\d+)(?:[-\u2013](\d+))?")
OUTSIDE = re.compile(r"REFERENCE\.md|DESIGN\.md|\.\./shared|/work/shared|domain reference")


def _sources() -> list[Path]:
    """Text files of the checkout; skipped directories are not even entered (.venv alone
    holds tens of thousands of files)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if not (d in SKIP_DIRS or d.startswith(".") or d.endswith(".egg-info") or is_virtualenv(Path(folder) / d))
        ]
        for name in files:
            path = Path(folder) / name
            if (path.suffix in TEXT_SUFFIXES or name == "Makefile") and path != THIS_FILE:
                found.append(path)
    return sorted(found)


def _resolves(name: str, citing: Path) -> bool:
    if name in OUTPUTS:
        return True
    candidates = [ROOT / name, citing.parent / name, ROOT / "docs" / name]
    return any(c.resolve().is_file() and c.resolve().is_relative_to(ROOT) for c in candidates)


def test_every_cited_document_is_in_the_repository():
    sources = _sources()
    mentions = [(path, m.group(1)) for path in sources for m in MD_MENTION.finditer(path.read_text(errors="ignore"))]
    assert any(name == "docs/facts.md" for _, name in mentions)  # the scan sees the citations
    missing = sorted({f"{path.relative_to(ROOT)}: {name}" for path, name in mentions if not _resolves(name, path)})
    assert not missing, "cited documents that are not in the repository:\n" + "\n".join(missing)


def test_nothing_cites_a_file_outside_the_repository():
    outside = sorted(
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1)
        if OUTSIDE.search(line)
    )
    assert not outside, "citations of files outside the repository:\n" + "\n".join(outside)


def test_every_facts_section_cited_exists():
    headings = re.findall(r"^## (\d+)\. ", (ROOT / "docs" / "facts.md").read_text(), re.M)
    sections = {int(n) for n in headings}
    cited = [
        (path, int(m.group(1)), int(m.group(2) or m.group(1)))
        for path in _sources()
        for m in FACTS_SECTION.finditer(path.read_text(errors="ignore"))
    ]
    assert len(cited) >= 10  # limits, presets, prices, policies, specs cite it
    dangling = sorted(
        f"{path.relative_to(ROOT)}: §{first}-{last}"
        for path, first, last in cited
        if not all(n in sections for n in range(first, last + 1))
    )
    assert not dangling, "citations of sections docs/facts.md does not have:\n" + "\n".join(dangling)


def test_a_virtual_environment_in_the_checkout_is_not_read(tmp_path, monkeypatch):
    """policies/venv (`pulumi install`) holds libraries citing their own CHANGELOG.md."""
    import tests.test_doc_citations as module

    venv = tmp_path / "policies" / "venv"
    venv.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "setupcfg.py").write_text("# see CHANGELOG.md\n")
    (tmp_path / "README.md").write_text("groundlink\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)

    assert module._sources() == [tmp_path / "README.md"]
