# The support matrix and the module-side Python checks (included by the Makefile).
#   make matrix            - every ansible-core line (2.16-2.21) on a controller Python it supports:
#                            sanity, units, the elb_member target; the modules on Python 3.9 and 3.13;
#                            writes docs/support-matrix.md and the README's tables. About 35 minutes on 2 cores.
#   make matrix-2.16 ...   - one line (sanity, units, integration), recorded for the report
#   make matrix-modules    - the elb_member target with the modules on Python 3.9 and 3.13 (requests only)
#   make matrix-report     - docs/support-matrix.md from the recorded results
#   make oldest-line       - the quick slice of the oldest line for `make test`: its units
#   make no-requests       - the modules on a Python without requests fail with missing_required_lib
#   make requests-oldest   - the example, twice, on the lowest requests that requirements.txt claims
# Interpreters come from pyenv (or pythonX.Y on PATH); a missing one stops the run, nothing is skipped.
# Recursive variables (=): this file may be included before the Makefile defines PYTHON, BIN, COLLECTIONS.

# Heavy and long: below the other work on a shared machine.
MATRIX_NICE = nice -n 15
MATRIX = $(MATRIX_NICE) $(PYTHON) tools/matrix.py
MATRIX_LINES = 2.16 2.17 2.18 2.19 2.20 2.21
# The target's name is the check's name: no-requests, requests-oldest.
REQUESTS_CHECK = $(MATRIX_NICE) $(PYTHON) tools/requests_checks.py $@ --ansible-bin $(BIN) --collections $(COLLECTIONS)

.PHONY: matrix matrix-preflight matrix-modules matrix-report oldest-line no-requests requests-oldest \
        $(addprefix matrix-,$(MATRIX_LINES))

matrix:
	$(MATRIX) all

matrix-preflight:
	$(MATRIX) preflight

$(addprefix matrix-,$(MATRIX_LINES)): matrix-%:
	$(MATRIX) line $*

matrix-modules:
	$(MATRIX) modules 3.9
	$(MATRIX) modules 3.13

matrix-report:
	$(MATRIX) report

# For `make test`: a plugin that uses an API newer than the oldest ansible-core we claim fails here. The
# units import every plugin and module_utils file and run their code paths; the oldest line's
# integration target runs in `make matrix` (in `make test` it cost about 2 CPU-minutes of the 15).
oldest-line:
	$(MATRIX) line 2.16 --suites units --no-record

no-requests requests-oldest: collection
	$(REQUESTS_CHECK)
