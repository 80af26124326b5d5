"""The contact processor: a contact's delivered capture files in, data products out.

Pure Python (dpkt, numpy, pyarrow), no cloud SDK: the same code runs on a
laptop (`groundlink process`), in a function (Lambda, Azure Functions) and in a
container job. docs/processing.md describes the formats and the products.

Import from the submodules (`processor`, `config`, `tables`, `query`): this package
imports nothing itself, so the Pulumi program can read the table definitions
without loading dpkt, numpy or pyarrow.
"""
