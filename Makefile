# Two entry points for a fresh machine: `make compare` and `make test`.
# Both (re)build .venv from requirements.lock only when the lock or pyproject changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPEC   ?= specs/noaa20.yaml
OUT    ?= out/compare

.PHONY: venv test lint compare bench demo schema clean mutation preflight-shapes fuzz breaks interrupts function-deps flex-package

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; ok = (3, 11) <= sys.version_info[:2] <= (3, 12); sys.exit(0 if ok else "groundlink needs Python 3.11 or 3.12 (requirements.lock pins azure-functions 1.26.0, which takes no 3.13); $(PYTHON) is %d.%d: run make PYTHON=python3.12 ..." % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Bytecode is written (__pycache__/, ignored by git) even where the environment turns it off,
# so the two workers and every process a test starts (the command line, the policy pack,
# compare's planners) compile each module once per change instead of once per process.
# --dist loadscope hands out whole files (a module fixture, such as test_report's compare run,
# runs once), in the order of tests/conftest.py SLOW_FIRST: the longest files first.
test: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder -q --durations=10

# The large budget: 5,000 fuzzed specs per fuzz test (zero crashes, zero hangs, every
# rejection one line naming the field; every accepted spec builds, prices and decides), the
# whole edit matrix (every tunable, every example spec, both clouds) and the preview sweep
# (every value of the example plans made unknown in turn, the pack run on each). `make test`
# runs a small fixed subset of each.
fuzz: $(STAMP)
	GROUNDLINK_FUZZ_EXAMPLES=5000 GROUNDLINK_EDIT_MATRIX=full GROUNDLINK_PREVIEW_SWEEP=full \
		$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider \
		tests/test_fuzz.py tests/test_accepted_specs_build.py tests/test_edit_matrix.py \
		tests/test_pack_preview_sweep.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# A variable's value as one shell word, whatever it holds (spaces, quotes, `;`):
# `make compare OUT="my reports"` writes my reports/, and `make demo DEMO="my docs"` never reaches docs/.
quote = '$(subst ','\'',$(1))'

compare: $(STAMP)
	$(BIN)/groundlink compare $(call quote,$(SPEC)) --out $(call quote,$(OUT))

bench: $(STAMP)
	$(BIN)/python bench/bench.py

# A synthetic delivery (two contacts, with a gap, a duplicate, a corrupt header and a truncated
# packet), processed into products, then the documented example queries run over them. A run
# replaces what an earlier run made (raw/ and products/ of a DEMO holding DEMO_MARK), and nothing
# else: a DEMO that is a directory of anything else is refused, not emptied.
DEMO ?= out/demo
DEMO_MARK := .groundlink-demo
# a DEMO starting with `-` given as ./-...: the commands below would read it as an option, after
# the directory was made (python -m tests.contactgen: "the following arguments are required")
DEMO_PATH = $(if $(filter -%,$(firstword $(DEMO))),./$(DEMO),$(DEMO))
demo: $(STAMP)
	@demo=$(call quote,$(DEMO_PATH)); \
	if [ -z "$$demo" ]; then \
		echo "make demo: DEMO is an empty path (it would name /raw and /products): nothing removed; give a path, such as out/demo" >&2; \
		exit 2; \
	fi; \
	if [ -e "$$demo" ] && [ ! -e "$$demo/$(DEMO_MARK)" ] && [ -n "$$(ls -A -- "$$demo" 2>&1)" ]; then \
		echo "make demo: DEMO=$$demo exists and holds no $(DEMO_MARK) (what make demo makes, since 2026-12-04): nothing removed; name a new directory or remove it yourself" >&2; \
		exit 2; \
	fi; \
	rm -rf -- "$$demo/raw" "$$demo/products" && mkdir -p -- "$$demo" && touch -- "$$demo/$(DEMO_MARK)"
	$(BIN)/python -m tests.contactgen $(call quote,$(DEMO_PATH)/raw)
	$(BIN)/groundlink process $(call quote,$(DEMO_PATH)/raw) --out $(call quote,$(DEMO_PATH)/products)
	$(BIN)/groundlink query $(call quote,$(DEMO_PATH)/products) --examples

# The contact processor's third-party wheels for each cloud's function runtime (needs PyPI):
# build/processing/aws-lambda-layer.zip and azure-python-packages.zip, the same bytes for the
# same pins; the Pulumi program refuses a processing function without them (docs/processing.md).
function-deps: $(STAMP)
	$(BIN)/python -m groundlink.functiondeps

# The Flex app's package for SPEC, uploaded by the deployer with Entra ID (docs/processing.md).
flex-package: $(STAMP)
	$(BIN)/python -m groundlink.flexpackage $(call quote,$(SPEC))

# Written beside the tracked file and moved over it: a redirect empties the file before the
# command runs, and a Ctrl-C left it empty.
schema: $(STAMP)
	@tmp=$$(mktemp schema/.mission.schema.json.XXXXXX) && trap 'rm -f -- "$$tmp"' EXIT INT TERM && \
	$(BIN)/groundlink schema > "$$tmp" && chmod 644 -- "$$tmp" && mv -- "$$tmp" schema/mission.schema.json

# Mutation testing (docs/testing.md): the spec, blueprint, cost, parity and check modules,
# the policy pack and the components, chosen by module glob so the globs follow the tree.
# The score is a sampled estimate: by default one mutant in 100 per source file (the same ones
# on every run), printed with the sample's size and its 95% interval; MUTATION_SAMPLE=1 runs
# them all (22,911-25,649 in docs/testing.md's dated runs: about a day, at the 3.7 s a mutant of
# a 276-mutant sample that took 17 minutes). MUTATE="groundlink.cost.*" make mutation runs one module.
# Each cloud's components run on their own: MUTATE="components.aws.*" (5-22 minutes here,
# with the machine's load), "components.azure.*"; a component mutant runs only the tests of its
# source file (COMPONENT_TESTS in scripts/mutation_run.py).
# Results stay in mutants/; `rm -rf mutants` starts over (the mutants are then rewritten).
MUTATE ?= groundlink.spec.* groundlink.blueprint.* groundlink.cost.* groundlink.parity.* groundlink.check.* policies.* components.*
MUTATION_SAMPLE ?= 100
mutation: $(STAMP)
	MUTATION_SAMPLE=$(MUTATION_SAMPLE) nice $(BIN)/python scripts/mutation_run.py $(MUTATE)
	$(BIN)/python scripts/mutation_score.py

# The deliberate one-line breaks (scripts/breaks.py), each applied to a temporary copy of the
# tree, never to the checkout: prints killed/survived per break, exits 1 if any survived.
breaks: $(STAMP)
	$(BIN)/python scripts/breaks.py

# Ctrl-C at 200 moments of `plan`, placed by the interpreter's event count, not by a timer
# (scripts/interrupt_sweep.py): exits 1 on any outcome but exit 130 and the one line.
interrupts: $(STAMP)
	$(BIN)/python scripts/interrupt_sweep.py

# What the targets build and the tools cache, all of it made again on demand; not out/ (reports,
# plans and the demo, where the README writes yours too) nor mutants/ (hours of mutation results).
clean:
	rm -rf $(VENV) build groundlink.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The botocore shapes preflight checks against, copied from the locked botocore (a test compares them).
preflight-shapes: $(STAMP)
	$(BIN)/python -c "from groundlink.preflight.aws_api import write_shapes; write_shapes()"
	$(BIN)/python scripts/gen_registry_schemas.py
