# Standalone-cluster suite (issue 16, item 1): the kernel on a Spark standalone cluster behind the
# dev Livy server. Included by the top-level Makefile before its rules; extends its variables.
#
#   make test-cluster   integration/cluster/ (a master and two 1-core workers on 127.0.0.1; ~2.5 min)
#   make demo-cluster   the same cluster and server, examples/demo.ipynb run on them for a person
#
# The cluster is started from pyspark's own bin/spark-class (devlivy/devlivy/standalone.py) in a
# temp dir and stopped at the end, leaving no process behind (the suite fails if one is left).

# Per-test limit (pytest-timeout): a hung test fails, and its fixtures still stop what it started.
CLUSTER_TEST_TIMEOUT ?= 300
TEST_SUITES += test-cluster

.PHONY: test-cluster demo-cluster

# The Spark UI test needs the proxy extension in .venv and headless Chromium (sparkui_proxy.mk).
test-cluster: venv build sparkui-proxy-install sparkui-proxy-deps
	LIVY_KERNEL_BIN=$(KERNEL_BIN) SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q -rxXs \
		--timeout $(CLUSTER_TEST_TIMEOUT) integration/cluster

# Builds, starts the cluster and the dev Livy server on it, runs examples/demo.ipynb with nbclient
# (the executed copy: examples/demo.cluster.executed.ipynb), says which executor each worker ran, stops both.
demo-cluster: deps venv build
	$(VENV_PY) tools/devstack.py demo-cluster --kernel-bin $(KERNEL_BIN)
