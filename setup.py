"""Packaging that keeps the top-level layout: components/ and policies/ stay where the
users asked for them and install as groundlink.components and groundlink.policies;
price catalogs (prices/) and site data (data/) install as groundlink.prices and
groundlink.data. Everything else is declared in pyproject.toml."""

from setuptools import find_namespace_packages, find_packages, setup

# installed name -> folder in the checkout
MAPPED = {
    "groundlink.components": "components",
    "groundlink.policies": "policies",
    "groundlink.prices": "prices",
    "groundlink.data": "data",
}

packages = find_namespace_packages(include=["groundlink", "groundlink.*"])
for name, folder in MAPPED.items():
    packages += [name, *(f"{name}.{sub}" for sub in find_packages(folder))]

setup(packages=packages, package_dir=MAPPED)
