# JupyterHub suite (issue 16, item 2): two users on a real JupyterHub (PyPI) behind Debian's
# configurable-http-proxy, each with a single-user server running LivyKernel and the Spark UI proxy
# extension, on one dev Livy server. Included by the top-level Makefile before its rules; extends
# its variables.
#
#   make test-hub     integration/hub/ (~40 s: two Spark sessions side by side, 512 MB drivers)
#
# The hub, its proxy, the users' servers and kernels all run on free loopback ports out of one temp
# dir (integration/hub/jupyterhub_config.py is the configuration); the suite stops everything and
# fails if any process is left. docs/deploy.md starts from the same configuration.

HUB_DEB_PACKAGES := node-configurable-http-proxy
PY_REQUIREMENTS += integration/hub/requirements.txt
# Per-test limit (pytest-timeout): a hung test fails, and its fixtures still stop what it started.
HUB_TEST_TIMEOUT ?= 300
TEST_SUITES += test-hub

.PHONY: test-hub hub-deps

# Debian's configurable-http-proxy (and the node modules it needs), installed only when missing.
hub-deps:
	@missing=$$(for p in $(HUB_DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The single-user servers run from .venv: jupyter_server, the installed sparkui_proxy extension
# (enabled by its drop-in config), and jupyterhub-singleuser.
test-hub: hub-deps venv build sparkui-proxy-install
	LIVY_KERNEL_BIN=$(KERNEL_BIN) SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q -rxX \
		--timeout $(HUB_TEST_TIMEOUT) integration/hub
