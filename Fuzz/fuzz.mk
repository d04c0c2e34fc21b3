# Fuzzing the parsers with libFuzzer (issue 11). Included by the top-level Makefile.
#
#   make fuzz                  every target for FUZZ_SECONDS each (default 60), corpus kept
#   make fuzz FUZZ_TARGETS=sql FUZZ_SECONDS=600
#   make fuzz-ci               the short bounded pass `make test` runs (FUZZ_CI_SECONDS each)
#
# The targets (Fuzz/Sources/<name>) are built with -sanitize=fuzzer,address into
# Fuzz/.build-fuzz (git-ignored), which also holds the growing corpus (corpus/<name>) and crash
# artifacts (artifacts/); seeds are committed in Fuzz/corpus/<name>. A property failure, crash,
# timeout (>10 s for one input) or RSS over 2 GB fails the run; reproduce with
#   Fuzz/.build-fuzz/release/fuzz-<name> Fuzz/.build-fuzz/artifacts/<name>-crash-…

FUZZ_TARGETS ?= json wire protocol cell sql template parameters
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 12
FUZZ_CONFIG ?= release
FUZZ_SCRATCH := $(CURDIR)/Fuzz/.build-fuzz
FUZZ_BIN = $(FUZZ_SCRATCH)/$(FUZZ_CONFIG)
FUZZ_OPTIONS := -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1
TEST_SUITES += fuzz-ci

.PHONY: fuzz fuzz-ci fuzz-build fuzz-run

fuzz-build: deps
	$(SWIFT) build -c $(FUZZ_CONFIG) --package-path Fuzz --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address

# One target at a time; libFuzzer's own exit status fails the run. The Swift runtime's backtracer
# is off so that libFuzzer catches the trap and saves the input.
fuzz: fuzz-build
	@$(MAKE) fuzz-run FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) FUZZ_CONFIG=$(FUZZ_CONFIG)

fuzz-ci: fuzz-build
	@$(MAKE) fuzz-run FUZZ_RUN_SECONDS=$(FUZZ_CI_SECONDS) FUZZ_CONFIG=$(FUZZ_CONFIG)

fuzz-run:
	@mkdir -p $(FUZZ_SCRATCH)/artifacts
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_SCRATCH)/corpus/$$target; \
		log=$(FUZZ_SCRATCH)/fuzz-$$target.log; \
		if ! SWIFT_BACKTRACE=enable=no $(FUZZ_BIN)/fuzz-$$target $(FUZZ_OPTIONS) \
			-max_total_time=$(FUZZ_RUN_SECONDS) -artifact_prefix=$(FUZZ_SCRATCH)/artifacts/$$target- \
			$(FUZZ_SCRATCH)/corpus/$$target Fuzz/corpus/$$target >$$log 2>&1; then \
			tail -n 40 $$log; echo "fuzz-$$target FAILED (log: $$log)"; exit 1; \
		fi; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
		rss=$$(sed -n 's/^stat::peak_rss_mb: *//p' $$log); \
		echo "fuzz-$$target: $$runs inputs in $(FUZZ_RUN_SECONDS) s, no crash, peak RSS $$rss MB"; \
	done
