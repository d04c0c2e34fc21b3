# bench: LivyKernel against sparkmagic 0.23.0 on the same dev Livy server (issue 8).
# Included by the top-level Makefile after devlivy/devlivy.mk (it uses SPARKMAGIC_PY and the
# sparkmagic-venv target from there). Not part of `make test`. The harness is the livybench package,
# run from bench/ (`python -m livybench --help`); devlivy comes from .venv (installed editable).
#
#   make bench                  full run (~7 min): bench/results/latest.{json,md} + the table
#   BENCH_QUICK=1 make bench    ~2.5 min subset:   bench/results/quick.{json,md} (not committed)

BENCH_QUICK ?=
BENCH_OUT ?= $(CURDIR)/bench/results

.PHONY: bench

# The binary the wheel ships (integration/wheel/wheel.mk): release, Swift runtime linked in statically.
bench: deps venv sparkmagic-venv
	$(SWIFT) build -c release --static-swift-stdlib --build-path $(WHEEL_BUILD_PATH)
	kernel_bin="$(WHEEL_BIN)"; \
	cd bench && SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m livybench --kernel-bin "$$kernel_bin" \
		--sparkmagic-python $(SPARKMAGIC_PY) --out $(BENCH_OUT) \
		$(if $(filter 1,$(BENCH_QUICK)),--quick,--full)
