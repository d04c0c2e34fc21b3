# The pip-installable wheel (issue 17 item 1). Included by the top-level Makefile before its rules.
#
#   make wheel        dist/livykernel-<version>-py3-none-linux_<arch>.whl: the release binary with the
#                     Swift runtime linked in statically, the kernelspecs and the Spark UI proxy
#   make test-wheel   the wheel in a fresh virtualenv, on real Spark (part of make test)

WHEEL_BUILD_PATH := $(CURDIR)/.build-static
WHEEL_BIN = $(WHEEL_BUILD_PATH)/release/livy-kernel
TEST_SUITES += test-wheel

.PHONY: wheel test-wheel

wheel: deps venv
	$(SWIFT) build -c release --static-swift-stdlib --build-path $(WHEEL_BUILD_PATH)
	$(VENV_PY) tools/build_wheel.py --binary $(WHEEL_BIN)

test-wheel: wheel
	SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q --timeout 600 integration/wheel
