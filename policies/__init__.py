"""groundlink's CrossGuard policy pack.

Self-contained on purpose: the Pulumi CLI runs this directory in its own
virtualenv (policies/venv, built once from requirements.txt with `pulumi install`
here), so nothing here may import groundlink
or any package that file does not pin. Rules are plain functions grouped by
area; `pack.policies()` turns them into pulumi_policy objects.
"""
