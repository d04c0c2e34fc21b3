# Chaos and load suites (issue 12, items 6 and 7). Included by the top-level Makefile before its
# rules; extends its variables. test-chaos is part of `make test`; test-load (~3 min, 8 kernels)
# stays separate: it measures rather than checks a contract.
#
#   make test-chaos   faults between the kernel and the dev Livy server (integration/chaos/)
#   make test-load    8 kernels x 100 cells at once on one dev Livy server; prints the figures
#                     (LOAD_KERNELS, LOAD_CELLS, LOAD_RSS_LIMIT_MB, LOAD_REPORT=file.json)

# Per-test limit (pytest-timeout): a hung test fails, and its fixtures still stop what it started.
CHAOS_TEST_TIMEOUT ?= 300
TEST_SUITES += test-chaos

.PHONY: test-chaos test-load

test-chaos: venv build
	LIVY_KERNEL_BIN=$(KERNEL_BIN) SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q -rxX -m 'not load' \
		--timeout $(CHAOS_TEST_TIMEOUT) integration/chaos

test-load: venv build
	LIVY_KERNEL_BIN=$(KERNEL_BIN) SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q -m load \
		--timeout 1200 integration/chaos
