"""The price catalogs, one YAML file per cloud; installed as groundlink.prices (package data)."""
