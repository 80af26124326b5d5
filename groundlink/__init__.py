"""groundlink: one mission spec in, equivalent ground-station-fed data platforms on AWS
and Azure out, compared honestly (README.md)."""
