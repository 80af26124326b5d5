"""The processor's dependency layer goes through the artifacts bucket under a key of its own."""

from __future__ import annotations

from groundlink.functiondeps import BUNDLES


def test_the_dependency_archive_is_stored_under_processing_by_its_file_name(aws_noaa20) -> None:
    archive = aws_noaa20.one("aws:s3/bucketObjectv2:BucketObjectv2", "noaa20-processing-dependencies-archive")
    layer = aws_noaa20.one("aws:lambda/layerVersion:LayerVersion")
    assert BUNDLES["aws"].filename.endswith(".zip")
    assert archive.inputs["key"] == f"processing/{BUNDLES['aws'].filename}"
    assert archive.inputs["contentType"] == "application/zip"
    assert layer.inputs["s3Key"] == archive.inputs["key"]
