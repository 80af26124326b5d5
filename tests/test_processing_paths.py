"""`groundlink process` and `query` at their edges: an --out that overlaps the delivery, the
example queries as JSON, the count of contacts not written, and one prefix for bad arguments."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from groundlink.cli import main
from tests.contactgen import CONTACT_A, CONTACT_B, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

DOCS = Path(__file__).resolve().parents[1] / "docs" / "processing.md"


def _deliver(root: Path, contact: str = CONTACT_A, counts: tuple[int, ...] = (0, 1, 2)) -> Path:
    path = contact_file(raw_dir(root), contact, 1)
    Capture(packetise(stream_of(frames(list(counts))), 1000, EPOCH * 1_000_000)).write(path)
    return path


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --out and the delivery ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "where"),
    [
        ("raw", "is the delivery"),
        ("raw/contacts", "is inside the delivery"),
        ("raw/new/products", "is inside the delivery"),
        (".", "holds the delivery"),
        ("link-to-raw", "is the delivery"),
        ("link-to-raw/products", "is inside the delivery"),
        ("link-to-parent/raw/products", "is inside the delivery"),
        # a link to itself (Path.resolve raised on it) is no directory to write into at all
        ("raw/loop", "cannot write (Too many levels of symbolic links)"),
    ],
)
def test_an_out_overlapping_the_delivery_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: str, where: str
) -> None:
    """`process raw --out raw` exited 0 and wrote frames/, frame_index/ and contact_summary/
    among the raw captures, where the next run would read the products as part of the delivery."""
    monkeypatch.chdir(tmp_path)
    _deliver(Path("raw"))
    Path("link-to-raw").symlink_to("raw")
    Path("link-to-parent").symlink_to(".")
    Path("raw/loop").symlink_to("loop")
    before = _tree(tmp_path)

    assert main(["process", "raw", "--out", out]) == 2

    refusal = where if where.startswith("cannot") else f"{where} raw; give a products directory outside CONTACT_DIR"
    assert capsys.readouterr().err == f"groundlink: --out {Path(out)}: {refusal}\n"
    assert _tree(tmp_path) == before


def test_a_delivery_reached_through_a_link_is_refused_as_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The delivery given through a symbolic link, --out by its real path: the same directory."""
    _deliver(tmp_path / "raw")
    (tmp_path / "link").symlink_to(tmp_path / "raw")

    assert main(["process", str(tmp_path / "link"), "--out", str(tmp_path / "raw" / "out")]) == 2

    assert capsys.readouterr().err.startswith(f"groundlink: --out {tmp_path / 'raw' / 'out'}: is inside the delivery")
    assert not (tmp_path / "raw" / "out").exists()


def test_a_second_spelling_of_the_delivery_that_resolve_keeps_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bind mount or a case-folding file system spells one directory two ways that resolve()
    does not make equal; with resolve() left as it is given, `raw/contacts/..` stands in for one."""
    _deliver(tmp_path / "raw")
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: self.absolute())
    out = tmp_path / "raw" / "products"

    assert main(["process", str(tmp_path / "raw" / "contacts" / ".."), "--out", str(out)]) == 2

    assert capsys.readouterr().err.startswith(f"groundlink: --out {out}: is inside the delivery")
    assert not (tmp_path / "raw" / "products").exists()


def test_an_out_beside_the_delivery_sharing_its_name_as_a_prefix_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`raw-products` starts with `raw` but lies outside it: compared by path parts, not text."""
    _deliver(tmp_path / "raw")

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "raw-products")]) == 0

    assert capsys.readouterr().out.endswith(f"wrote {tmp_path / 'raw-products'}\n")
    assert not [p for p in _tree(tmp_path / "raw") if p.startswith(("frames", "frame_index", "contact_summary"))]


# query --examples --json ---------------------------------------------------------------------


def test_every_example_json_line_names_its_example_as_the_docs_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The five examples' rows came one after another, of five shapes and no marker: a script
    could not tell which query a row belonged to. The contact here has no corrupt frame, so
    "Corrupt frames and why" finds nothing and must still be a line of its own."""
    from groundlink.processing.examples import EXAMPLES

    _deliver(tmp_path / "raw", counts=(0, 1, 4))
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()

    assert main(["query", str(tmp_path / "out"), "--examples", "--json"]) == 0

    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["example"] for d in documents] == [e.title for e in EXAMPLES]
    headings = DOCS.read_text()
    for document in documents:
        assert f"\n### {document['example']}\n" in headings
        assert all(list(row) == document["columns"] for row in document["rows"])
    by_name = {d["example"]: d for d in documents}
    assert by_name["Corrupt frames and why"]["rows"] == []
    assert by_name["Frames by status"]["rows"] == [{"status": "ok", "frames": 3}]
    assert by_name["Where frames went missing"]["columns"][0] == "contact_id"


def test_a_plain_json_query_still_prints_bare_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _deliver(tmp_path / "raw")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()

    assert (
        main(["query", str(tmp_path / "out"), "SELECT status, COUNT(*) AS n FROM frame_index GROUP BY 1", "--json"])
        == 0
    )

    assert capsys.readouterr().out == '{"status": "ok", "n": 3}\n'


# the count of contacts not written -----------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "code", "last_line"),
    [
        ((CONTACT_A, CONTACT_B), 2, "groundlink: 2 of 2 contacts not written (above)"),
        ((CONTACT_B,), 2, "groundlink: 1 of 2 contacts not written (above)"),
        ((), 0, None),
    ],
)
def test_the_not_written_count_ends_every_run_with_a_failed_contact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: tuple[str, ...], code: int, last_line: str | None
) -> None:
    """With every contact failed the run printed their problems and no count, although the
    docs show one; with some failed it printed it. Now any failure ends with it, exit 2."""
    for contact in (CONTACT_A, CONTACT_B):
        path = _deliver(tmp_path / "raw", contact)
        if contact in bad:
            path.write_bytes(b"junk")
    out = tmp_path / "out"

    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == code

    printed = capsys.readouterr()
    if last_line is None:
        assert printed.err == "" and printed.out.endswith(f"wrote {out}\n")
        return
    assert printed.err.splitlines()[-1] == last_line
    assert len(printed.err.splitlines()) == len(bad) + 1
    written = [c for c in (CONTACT_A, CONTACT_B) if c not in bad]
    assert [line.split()[2].rstrip(":") for line in printed.out.splitlines()[:-1]] == written
    if written:
        assert printed.out.endswith(f"wrote {out}\n")
    else:
        assert printed.out == "" and not out.exists()  # the run created it, and leaves nothing behind


def _unopenable(chunks: Iterator[object], path: Path) -> Iterator[object]:
    raise PermissionError(errno.EACCES, "Permission denied", str(path))


def _failing_midway(chunks: Iterator[object], path: Path) -> Iterator[object]:
    yield next(chunks)
    raise OSError(errno.EIO, "Input/output error")  # on the open capture: it names no file


@pytest.mark.parametrize(
    ("failure", "reason"), [(_unopenable, "Permission denied"), (_failing_midway, "Input/output error")]
)
def test_an_unreadable_capture_fails_its_own_contact_only(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[[Iterator[object], Path], Iterator[object]],
    reason: str,
) -> None:
    """A capture that could not be opened ended the whole run in one line: the contacts before
    it were written and never listed, those after it never processed, and no count printed. An
    I/O error while reading an open capture names no file, and was taken for a failed write to
    --out, with the same result."""
    from groundlink.processing import processor

    _deliver(tmp_path / "raw", CONTACT_A)
    bad = _deliver(tmp_path / "raw", CONTACT_B)
    read_capture = processor.read_capture

    def reading(path: Path, *args: object) -> Iterator[object]:
        chunks = read_capture(path, *args)  # type: ignore[arg-type]  # the real reader takes these args as given
        return failure(chunks, path) if path == bad else chunks

    monkeypatch.setattr(processor, "read_capture", reading)

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2

    printed = capsys.readouterr()
    assert printed.err == f"{bad}: cannot read ({reason})\ngroundlink: 1 of 2 contacts not written (above)\n"
    assert f"contact {CONTACT_A}: 3 frames" in printed.out and CONTACT_B not in printed.out


# one prefix for bad arguments ----------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["process", "RAW", "--out", "OUT", "--contact-id", ".."],
        ["process", "RAW", "--out", "OUT", "--satellite", "../x"],
        ["process", "RAW", "--out", "OUT", "--cadu-length", "0"],
        ["process", "RAW", "--out", "OUT", "--udp-port", "0"],
        ["process", "MISSING", "--out", "OUT"],
        ["process", "EMPTY", "--out", "OUT"],
        ["process", "RAW", "--out", "RAW"],
        ["process", "RAW", "--out", "FILE"],
        ["query", "MISSING", "SELECT 1"],
        ["query", "EMPTY", "SELECT 1"],
        ["query", "PRODUCTS"],
        ["query", "PRODUCTS", "SELECT 1", "--examples"],
        ["query", "PRODUCTS", "SELECT nope FROM frame_index"],
        ["query", "PRODUCTS", "DROP VIEW frame_index"],
    ],
)
def test_every_bad_argument_is_one_line_with_the_prefix_every_command_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """`--contact-id ..` was refused without a prefix, `--cadu-length 0` with `groundlink process:`,
    `--out FILE` with `groundlink:`, as every other command's bad input is."""
    raw = tmp_path / "raw"
    _deliver(raw)
    assert main(["process", str(raw), "--out", str(tmp_path / "products")]) == 0
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("x")
    names = {
        "RAW": raw,
        "OUT": tmp_path / "out",
        "MISSING": tmp_path / "missing",
        "EMPTY": tmp_path / "empty",
        "FILE": tmp_path / "file",
        "PRODUCTS": tmp_path / "products",
    }
    before = _tree(tmp_path)
    capsys.readouterr()

    assert main([str(names.get(a, a)) for a in argv]) == 2

    printed = capsys.readouterr()
    assert printed.out == "" and len(printed.err.splitlines()) == 1, printed.err
    assert printed.err.startswith("groundlink: ") and not printed.err.startswith(("groundlink: groundlink",))
    assert _tree(tmp_path) == before
