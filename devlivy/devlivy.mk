# devlivy: the Livy-compatible development server on real Spark (issue 4).
# Included by the top-level Makefile before its rules; extends its variables.

PY_REQUIREMENTS += devlivy/requirements.txt
# devlivy is installed editable from there; its packaging is part of what .venv holds.
PY_PROJECTS += devlivy/pyproject.toml
TEST_SUITES += test-devlivy

LIVY_PORT ?= 8998
SPARK_MASTER ?= local[*]
# Only for the sparkmagic cross-check: a separate virtualenv so sparkmagic's
# dependencies (pandas, ipython, requests-kerberos…) never touch .venv.
SPARKMAGIC_VENV := $(CURDIR)/.venv-sparkmagic
SPARKMAGIC_PY := $(SPARKMAGIC_VENV)/bin/python
SPARKMAGIC_DEB_PACKAGES := libkrb5-dev gcc

.PHONY: livy-server test-devlivy sparkmagic-venv sparkmagic-deps

# Foreground server on loopback; Ctrl-C stops it and every Spark driver it started.
livy-server: venv
	$(VENV_PY) -m devlivy --host 127.0.0.1 --port $(LIVY_PORT) --master '$(SPARK_MASTER)'

test-devlivy: venv sparkmagic-venv
	cd devlivy && DEVLIVY_SPARKMAGIC_PY=$(SPARKMAGIC_PY) $(VENV_PY) -m pytest -q tests

# sparkmagic's Kerberos dependency (pykerberos) compiles against libkrb5.
sparkmagic-deps:
	@missing=$$(for p in $(SPARKMAGIC_DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

sparkmagic-venv: $(STAMPS)/venv-sparkmagic
$(STAMPS)/venv-sparkmagic: devlivy/requirements-sparkmagic.txt | sparkmagic-deps
	@mkdir -p $(STAMPS)
	@[ -x $(SPARKMAGIC_PY) ] || $(PYTHON) -m venv $(SPARKMAGIC_VENV)
	$(SPARKMAGIC_PY) -m pip install -q --upgrade pip
	$(SPARKMAGIC_PY) -m pip install -q -r devlivy/requirements-sparkmagic.txt
	@touch $@
