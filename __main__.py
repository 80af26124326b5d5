"""The groundlink Pulumi program (what `pulumi preview/up` runs): see groundlink.program."""

from groundlink.program import main

main()
