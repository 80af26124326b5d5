"""One answer to "does writing or replacing this directory reach that path?", shared by the
command line's input/output check, `process --out` and the output writer's error handling."""

from __future__ import annotations

from pathlib import Path

from groundlink.outputs import lies_under


def test_a_path_under_the_directory_however_spelt(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (tmp_path / "to-out").symlink_to(root)
    assert lies_under(root, root)
    assert lies_under(root / "a" / "spec.yaml", root)  # not there yet
    assert lies_under(root / "a" / ".." / "b", root)
    assert lies_under(tmp_path / "to-out" / "a", root)  # through a link to the directory
    assert lies_under(root / "a", tmp_path / "to-out")  # the directory named by a link
    assert lies_under(str(root / "a"), str(root))


def test_a_sibling_sharing_a_prefix_or_a_parent_is_not_under_it(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    assert not lies_under(tmp_path / "output" / "x", root)
    assert not lies_under(tmp_path, root)
    assert not lies_under(root / ".." / "other", root)


def test_a_link_under_the_directory_to_elsewhere_still_counts_as_written(tmp_path: Path) -> None:
    """Replacing `out` takes the link `out/spec.yaml` with it, wherever it points."""
    root = tmp_path / "out"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("x")
    (root / "spec.yaml").symlink_to(elsewhere)
    assert lies_under(root / "spec.yaml", root)


def test_a_directory_not_there_yet_holds_only_what_is_named_under_it(tmp_path: Path) -> None:
    assert lies_under(tmp_path / "new" / "x", tmp_path / "new")
    assert not lies_under(tmp_path / "x", tmp_path / "new")


def test_a_link_loop_is_answered_not_raised(tmp_path: Path) -> None:
    loop = tmp_path / "a.yaml"
    loop.symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(loop)
    assert lies_under(loop, tmp_path)
    assert not lies_under(loop, tmp_path / "out")


def test_a_path_as_written_meets_the_directory_as_resolved_and_back(tmp_path: Path) -> None:
    """`real/spec.yaml` is a link elsewhere and `outlink` a link to `real`: replacing `outlink`'s
    directory takes `real/spec.yaml` with it, though neither the names as written nor the
    resolved paths alone say so."""
    (tmp_path / "real").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "noaa20.yaml").write_text("x")
    (tmp_path / "real" / "spec.yaml").symlink_to(tmp_path / "elsewhere" / "noaa20.yaml")
    (tmp_path / "outlink").symlink_to(tmp_path / "real")
    assert lies_under(tmp_path / "real" / "spec.yaml", tmp_path / "outlink")
    assert lies_under(tmp_path / "outlink" / "spec.yaml", tmp_path / "real")
