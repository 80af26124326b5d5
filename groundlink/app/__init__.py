"""The application layer: what each `groundlink` subcommand does.

The command line (groundlink.cli) parses arguments and maps errors to exit
codes; the modules here run the workflows (plan processes, policy pack
processes, the atomic report directory) over the libraries below them. The
libraries (spec, engine, check, cost, report) never import this layer.
"""
