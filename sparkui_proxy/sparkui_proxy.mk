# sparkui_proxy: the Spark UI proxy, a jupyter_server extension (issue 7).
# Included by the top-level Makefile before its rules; extends its variables.

PY_REQUIREMENTS += sparkui_proxy/requirements.txt
TEST_SUITES += test-sparkui-proxy

SPARKUI_PROXY_DEB_PACKAGES := chromium chromium-driver
SPARKUI_PROXY_SOURCES := sparkui_proxy/pyproject.toml $(wildcard sparkui_proxy/sparkui_proxy/*.py) \
	$(wildcard sparkui_proxy/jupyter-config/jupyter_server_config.d/*.json)

.PHONY: sparkui-proxy-install sparkui-proxy-deps test-sparkui-proxy

# A regular (not editable) install: it also drops the config file that enables the extension in
# every Jupyter server of .venv (etc/jupyter/jupyter_server_config.d/sparkui_proxy.json), which is
# how `make lab` serves /spark/{user}/{port}/.
sparkui-proxy-install: $(STAMPS)/sparkui-proxy
$(STAMPS)/sparkui-proxy: $(SPARKUI_PROXY_SOURCES) $(STAMPS)/venv
	$(VENV_PY) -m pip install -q --no-deps --force-reinstall ./sparkui_proxy
	@rm -rf sparkui_proxy/build sparkui_proxy/*.egg-info
	@touch $@

# Headless Chromium and its WebDriver for the browser test, installed only when missing.
sparkui-proxy-deps:
	@missing=$$(for p in $(SPARKUI_PROXY_DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Real jupyter_server with the extension, the dev Livy server on real Spark, headless Chromium and
# the kernel binary (its test is skipped when .build has no livy-kernel; this target builds nothing).
test-sparkui-proxy: venv sparkui-proxy-install sparkui-proxy-deps
	cd sparkui_proxy && LIVY_KERNEL_BIN=$${LIVY_KERNEL_BIN:-$(CURDIR)/.build/$(SWIFT_CONFIG)/livy-kernel} \
		$(VENV_PY) -m pytest -q tests

# `make lab` serves /spark/{user}/{port}/: the installed config file enables the extension in
# `jupyter lab`, so installing it first is all it takes.
lab: sparkui-proxy-install
