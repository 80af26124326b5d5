"""The chain runs end to end on both clouds and both export the same keys."""

from groundlink.blueprint import OUTPUT_KEYS


def test_both_clouds_export_the_same_keys(aws_noaa20, azure_noaa20):
    assert set(aws_noaa20.outputs) == set(OUTPUT_KEYS) == set(azure_noaa20.outputs)


def test_raw_store_is_protected_on_both(aws_noaa20, azure_noaa20):
    for plan in (aws_noaa20, azure_noaa20):
        stores = [r for r in plan.realizing("storage.raw") if r.custom]
        assert stores and all(r.protect and r.retainOnDelete for r in stores)
