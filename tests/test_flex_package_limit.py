"""The Flex Consumption package stays within the documented package limit, checked where
`make function-deps` builds it, as Lambda's unzipped limit is; an archive over it is never left
in place for the program to deploy."""

from __future__ import annotations

import pytest

from groundlink import functiondeps
from groundlink.functiondeps import BUNDLES, FLEX_PACKAGE_MAX, LAMBDA_UNZIPPED_MAX, BuildError


def test_the_flex_package_limit_is_one_gb_read_as_ten_to_the_ninth_bytes() -> None:
    assert FLEX_PACKAGE_MAX == 1_000_000_000
    assert BUNDLES["azure"].zipped_max == FLEX_PACKAGE_MAX
    assert BUNDLES["aws"].zipped_max is None  # Lambda's limit is on the unzipped size


@pytest.mark.parametrize(
    ("check", "cloud", "limit", "message"),
    [
        (
            functiondeps.check_size,
            "aws",
            LAMBDA_UNZIPPED_MAX - 1,  # "must be smaller than": the limit itself is refused
            "processing: the aws dependencies unzip to 262,143,000 bytes, with the function's 1,000: "
            "over the runtime's 262,144,000",
        ),
        (
            functiondeps.check_zipped,
            "azure",
            FLEX_PACKAGE_MAX,
            "processing: the azure dependencies zip to 999,999,001 bytes, with the function's 1,000: "
            "over the package limit of 1,000,000,000",
        ),
    ],
)
def test_each_runtime_refuses_wheels_past_its_limit_with_the_code(check, cloud, limit, message) -> None:
    check(BUNDLES[cloud], limit - 1000, 1000)
    with pytest.raises(BuildError) as caught:
        check(BUNDLES[cloud], limit - 999, 1000)
    assert str(caught.value) == message
    other = BUNDLES["azure" if cloud == "aws" else "aws"]
    check(other, 10 * limit, 1000)  # the other runtime has no such limit


def test_a_refused_archive_leaves_the_previous_one_and_no_partial_file(tmp_path) -> None:
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "numpy.py").write_text("x = 1\n" * 1000)
    archive = tmp_path / "azure-python-packages.zip"
    archive.write_bytes(b"the archive built before")

    def too_big(size: int) -> None:
        raise BuildError(f"processing: {size} is too big")

    with pytest.raises(BuildError):
        functiondeps.write_zip(tmp_path / "wheels", archive, "", too_big)
    assert archive.read_bytes() == b"the archive built before"
    assert not list(tmp_path.glob(".*.tmp"))
    seen: list[int] = []
    functiondeps.write_zip(tmp_path / "wheels", archive, "", seen.append)
    assert seen == [archive.stat().st_size] and seen[0] > 0
