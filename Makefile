# LivyKernel — build, test and demo entry points.
# Every target installs what it needs by itself: Debian packages (when missing)
# and one Python virtualenv under the repository (.venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := $(CURDIR)/.venv
VENV_PY := $(VENV)/bin/python
STAMPS := $(CURDIR)/.make
SWIFT ?= swift
SWIFT_CONFIG ?= debug
DEB_PACKAGES := libzmq3-dev libcurl4-openssl-dev pkg-config
# Requirement files installed into .venv; component fragments append theirs.
PY_REQUIREMENTS := requirements/test.txt
# Packaging files of the repo's own packages installed (editable) from those requirement files.
PY_PROJECTS :=
# Test suites run by `make test`; component fragments append theirs.
TEST_SUITES := test-swift test-kernel
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

-include devlivy/devlivy.mk
-include sparkui_proxy/sparkui_proxy.mk
-include bench/bench.mk
-include Fuzz/fuzz.mk
-include integration/chaos/chaos.mk
-include integration/auth/auth.mk
-include integration/wheel/wheel.mk
-include integration/cluster/cluster.mk
-include integration/hub/hub.mk

KERNEL_BIN = $(shell $(SWIFT) build -c $(SWIFT_CONFIG) --show-bin-path)/livy-kernel

.PHONY: help deps venv build test test-swift test-kernel install-kernel demo lab clean

help:
	@echo "make demo          build, start the dev Livy server on real Spark, run the example notebook"
	@echo "make demo-cluster  the same on a Spark standalone cluster (a master, two workers on loopback)"
	@echo "make test          everything CI checks (Swift unit tests, kernel protocol tests, dev server tests)"
	@echo "make build         build the livy-kernel executable"
	@echo "make install-kernel  install the kernelspecs into .venv (jupyter kernelspec list shows them)"
	@echo "make livy-server   run the development Livy server in the foreground"
	@echo "make lab           JupyterLab with the kernels and the dev Livy server, for a person to try"
	@echo "make test-chaos    the kernel against injected faults (part of make test); make test-load: 8 kernels x 100 cells"
	@echo "make test-auth     the kernel against a real Kerberos KDC and httpd (SPNEGO, Basic, TLS) (part of make test)"
	@echo "make test-cluster  the kernel on a Spark standalone cluster: notebooks, executors, Spark UI, a lost worker (part of make test)"
	@echo "make test-hub      two users on a real JupyterHub: own Livy sessions, own Spark UIs, servers stopped and culled (part of make test)"
	@echo "make bench         LivyKernel against sparkmagic on the same dev Livy (BENCH_QUICK=1: ~2 min)"
	@echo "make wheel         dist/livykernel-*.whl: pip install it for the binary, the kernelspecs and the Spark UI proxy"

# Debian packages, installed only when one is missing (apt needs root or sudo).
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(STAMPS)/venv
$(STAMPS)/venv: $(PY_REQUIREMENTS) $(PY_PROJECTS)
	@mkdir -p $(STAMPS)
	@[ -x $(VENV_PY) ] || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install -q --upgrade pip
	$(VENV_PY) -m pip install -q $(addprefix -r ,$(PY_REQUIREMENTS))
	@touch $@

build: deps
	$(SWIFT) build -c $(SWIFT_CONFIG)

test: deps venv build
	@$(MAKE) $(TEST_SUITES)

test-swift: deps
	$(SWIFT) test

test-kernel: venv build
	LIVY_KERNEL_BIN=$(KERNEL_BIN) $(VENV_PY) -m pytest -q integration

install-kernel: venv build
	$(KERNEL_BIN) install --all --prefix $(VENV)
	$(VENV)/bin/jupyter kernelspec list

# Builds, starts the dev Livy server on real Spark, runs examples/demo.ipynb with nbclient.
demo: deps venv build
	$(VENV_PY) tools/devstack.py demo --kernel-bin $(KERNEL_BIN)

lab: deps venv build $(STAMPS)/lab
	$(VENV_PY) tools/devstack.py lab --kernel-bin $(KERNEL_BIN)

$(STAMPS)/lab: requirements/lab.txt
	$(VENV_PY) -m pip install -q -r requirements/lab.txt
	@touch $@

clean:
	rm -rf .build $(STAMPS)
