# lbaas.elb: every set-up step lives here, so that a fresh clone with only Python 3 works.
#   make demo   - venv, build + install the collection, start the emulator, run the example twice
#   make test   - lint, ansible-test sanity, units, emulator tests, integration
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL := build/lbaas-elb-$(VERSION).tar.gz
COLLECTIONS := $(CURDIR)/build/collections
# ansible-test needs the collection physically under .../ansible_collections/lbaas/elb: a staged copy
ROOT := $(CURDIR)/.build/stage/ansible_collections/lbaas/elb
ANSIBLE_TEST := cd $(ROOT) && PATH=$(BIN):$$PATH $(BIN)/ansible-test

export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0

# Targets of their own topic: docs.mk (documentation site, Galaxy install check), awx.mk (the AWX runner
# target), matrix.mk (the support matrix, the oldest line's slice, the requests checks).
include $(wildcard mk/*.mk)

.PHONY: help venv collection demo test lint sanity units emulator-tests integration ansible-test-bootstrap \
        integration-a integration-b integration-c integration-d integration-targets-check test-lane-static test-lane-units \
        test-lane-live-a test-lane-live-b reliability reliability-small bench bench-compare bench-first-task clean stage packaging

help:
	@echo "make demo   - try the collection against the local emulator (no cloud account needed)"
	@echo "make test   - the whole suite: lint, sanity, units, emulator tests, integration"
	@echo "make reliability / make bench - the figures in the README; make bench-compare REF=... - a ref against this build"
	@echo "make bench-first-task - what module_utils cost a play's first task (floor, padded floors, elb_member)"
	@echo "make docs   - the HTML documentation in build/docs/ (antsibull-docs, Sphinx)"

venv: $(VENV)/.installed

# --no-compile: pip would byte-compile every file of every package (half of this step's 55 s on 2 cores,
# and nothing runs beside it); Python compiles and caches the files that are imported, on first import.
$(VENV)/.installed: requirements-dev.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -r requirements-dev.txt -r requirements.txt
	touch $@

stage: venv
	tools/stage-collection.sh $(ROOT)

collection: venv
	rm -rf build && mkdir -p build
	$(BIN)/ansible-galaxy collection build --force --output-path build .
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) $(TARBALL)

demo: collection
	@$(BIN)/python tests/emulator/launch.py --demo-world -- \
	  bash -c 'set -e; for run in first second; do echo "=== $$run run"; \
	    ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-playbook examples/add_member.yml; done'

# make test runs four lanes side by side: most suites either wait on an emulator's settle windows or
# use one core, and one after another they took over 20 minutes on 2 cores. Each lane is a make of its
# own that runs its suites in order. ansible-test keeps its state in the staged copy it runs in, so a
# lane that runs ansible-test beside another has a copy of its own: sanity uses the shared one, the
# units lane .build/stage-units, the integration targets are split in four (.build/stage-a to -d).
# What the lanes share is built first, and the lanes take it as done (-o), so that none of them
# rebuilds build/ or the shared copy under another.
TEST_SHARED := venv collection stage ansible-test-bootstrap
# Spread by their measured times (ansible-test runs a lane's targets in alphabetical order), so that
# the lanes end at about the same time; the wait-heavy targets (faults, rolling) share a lane. In a
# fresh clone (11330d7) the lanes ended at 707 s (static), 784 s (units), 838 s and 879 s (live-b,
# live-a, each with a requests check at its end): the requests checks moved to the static lane.
INTEGRATION_a := elb_member_security elb_member_faults elb_member_rolling
INTEGRATION_b := elb_member elb_pool_members elb_auth elb_member_concurrency elb_dedicated
INTEGRATION_c := elb_member_info elb_octavia_extras
INTEGRATION_d := awx_runner
TEST_LANE_static := lint sanity packaging docs galaxy-install-check integration-d requests-oldest no-requests
TEST_LANE_units := units emulator-tests oldest-line integration-c
TEST_LANE_live-a := integration-a
TEST_LANE_live-b := integration-b
# The units lane stages its own copy (its `stage` is not taken as done) at its own ROOT.
TEST_LANE_OWN_units := stage
TEST_LANE_ARGS_units := ROOT=$(CURDIR)/.build/stage-units/ansible_collections/lbaas/elb

test: $(TEST_SHARED) integration-targets-check
	$(MAKE) --no-print-directory -j4 $(addprefix -o ,$(TEST_SHARED)) test-lane-live-a test-lane-live-b test-lane-units test-lane-static
	@echo "make test: all suites passed"

# A lane's lines carry its name; `set -o pipefail` (SHELLFLAGS) keeps a failure a failure.
test-lane-static test-lane-units test-lane-live-a test-lane-live-b: test-lane-%:
	$(MAKE) --no-print-directory -j1 $(addprefix -o ,$(filter-out $(TEST_LANE_OWN_$*),$(TEST_SHARED))) $(TEST_LANE_ARGS_$*) \
	  $(TEST_LANE_$*) 2>&1 | sed -u -e '/-j1 forced in submake/d' -e 's/^/[$*] /'

# Every integration target is in one of the lanes: a new target cannot be left out unnoticed.
integration-targets-check:
	@targets=$$(grep -L '^hidden$$' tests/integration/targets/*/aliases | xargs -n1 dirname | xargs -n1 basename | sort | tr '\n' ' '); \
	lanes=$$(printf '%s\n' $(INTEGRATION_a) $(INTEGRATION_b) $(INTEGRATION_c) $(INTEGRATION_d) | sort | tr '\n' ' '); \
	[ "$$targets" = "$$lanes" ] || { echo "integration targets '$$targets' but the lanes run '$$lanes'"; exit 1; }

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# ansible-lint resolves group/lbaas.elb.elb through the collection itself: show it the checkout.
	mkdir -p .build/ansible_collections/lbaas && ln -sfn ../../.. .build/ansible_collections/lbaas/elb
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build PATH=$(BIN):$$PATH $(BIN)/ansible-lint --profile production --offline

# ansible-test downloads a pip bootstrap script from a host that is unreachable here; give it a
# stand-in that installs pip from a wheel fetched from the package registry (for the pip version that
# this venv's ansible-test wants).
ansible-test-bootstrap: venv
	$(PYTHON) tools/pythons.py bootstrap $(VENV)
	@# ansible-test makes this SSH key pair on first use, as here; two integration runs at once (make test's
	@# lanes) would race for it.
	test -f $(HOME)/.ansible/test/id_rsa.pub || { rm -f $(HOME)/.ansible/test/id_rsa && \
	  ssh-keygen -m PEM -q -t rsa -N '' -f $(HOME)/.ansible/test/id_rsa && \
	  sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' $(HOME)/.ansible/test/id_rsa; }

sanity: ansible-test-bootstrap stage
	$(ANSIBLE_TEST) sanity --python 3.11 --color no --requirements

units: ansible-test-bootstrap stage
	$(ANSIBLE_TEST) units --python 3.11 --color no --requirements

# Galaxy/AWX packaging: the docs lint of antsibull-docs, the changelog, and an execution-environment
# build context (building the image itself needs podman, which CI does not have).
packaging: collection stage
	cd $(ROOT) && ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/stage PATH=$(BIN):$$PATH \
	  $(BIN)/antsibull-docs lint-collection-docs --plugin-docs .
	$(BIN)/antsibull-changelog lint
	$(BIN)/ansible-builder introspect --sanitize $(CURDIR)/.build/stage | tee build/ee-introspect.txt
	# The modules need requests on the host that runs them: the image's pip install gets it from requirements.txt.
	grep -q "requests.*from collection lbaas.elb" build/ee-introspect.txt
	grep -q "ca-certificates.*from collection lbaas.elb" build/ee-introspect.txt
	$(BIN)/ansible-builder create -f tools/ee/execution-environment.yml -c build/ee-context
	test -f build/ee-context/_build/collections/lbaas-elb-$(VERSION).tar.gz
	# The installed tarball documents every module.
	for module in elb_auth elb_member elb_member_info elb_pool_members; do \
	  ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-doc lbaas.elb.$$module \
	    | grep "^> MODULE lbaas.elb.$$module (" >/dev/null || { echo "ansible-doc lbaas.elb.$$module failed"; exit 1; }; done

emulator-tests: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/emulator/tests

integration: ansible-test-bootstrap stage
	$(ANSIBLE_TEST) integration --python 3.11 --color no

# The four parts of the integration targets for make test's lanes, each in a staged copy of its own.
integration-a integration-b integration-c integration-d: integration-%: ansible-test-bootstrap
	tools/stage-collection.sh $(CURDIR)/.build/stage-$*/ansible_collections/lbaas/elb
	cd $(CURDIR)/.build/stage-$*/ansible_collections/lbaas/elb && PATH=$(BIN):$$PATH \
	  $(BIN)/ansible-test integration --python 3.11 --color no $(INTEGRATION_$*)

reliability: collection
	$(BIN)/python benchmarks/reliability.py

# The same scenario with 30% faults in about a minute and a half (shared family only: `make reliability`
# also runs the dedicated one, which doubles the time). Not in `make test`, which is CPU-bound on 2 cores:
# its races are the concurrency target's, its faults the faults target's.
reliability-small: collection
	$(BIN)/python benchmarks/reliability.py --small --family shared

bench: collection
	$(BIN)/python benchmarks/bench.py

# Did a change move the speed figures? REF's plugins against this build, and this build against itself
# (the run's noise), side by side in one run: make bench-compare REF=<git ref>.
bench-compare: collection
	@test -n "$(REF)" || { echo "make bench-compare needs REF=<git ref>"; exit 2; }
	$(BIN)/python benchmarks/compare.py $(REF)

# What module_utils cost a play's first task, where Ansible's worker parses them to build the payload:
# the floor, the floor with generated module_utils of growing size, and an elb_member no-op, side by side.
bench-first-task: collection
	$(BIN)/python benchmarks/first_task.py

clean:
	rm -rf build .build tests/output .pytest_cache .ruff_cache
