# weefsel: make run | make test | make bench | make lint
BUILD ?= build
JOBS ?= 2
# Optimised, with line tables only (-g1): backtraces and sanitizer reports keep file and line, and a
# cold build takes about a third less compiler time than with full -g (docs/hardening.md, "CI time").
# For a debugger's view of variables: make CMAKE_FLAGS=-DCMAKE_BUILD_TYPE=Debug BUILD=build-debug.
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
export WEEFSEL_SHARED_DATA ?= $(abspath ../shared/data)

.PHONY: deps build openapi run test test-unit test-sanitize fuzz load bench lint lint-format format clean

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	@scripts/build-web

# The documents the web build reads from the server (tests/openapi_current.sh): the OpenAPI document
# its TypeScript types are generated from, and the controlled vocabularies (labels, phase orders).
openapi: build
	$(BUILD)/src/cli/weefsel openapi > web/src/generated/openapi.json
	$(BUILD)/src/cli/weefsel vocabulary > web/src/generated/vocabulary.json

run: build
	@scripts/run-demo $(BUILD)

test: build
	@scripts/run-tests $(BUILD)

test-unit: build
	cd $(BUILD) && ctest -j $(JOBS) -L unit --output-on-failure

# The test suite under ASan + UBSan in build-asan (scripts/test-sanitize; docs/hardening.md).
test-sanitize: deps
	@scripts/build-web
	@scripts/test-sanitize build-asan

# libFuzzer targets in build-asan (clang, shared with test-sanitize), FUZZ_SECONDS each (default 40) on seeds from ../shared/data.
fuzz: build
	@WEEFSEL_BIN=$(abspath $(BUILD))/src/cli/weefsel scripts/fuzz build-asan

# 60 s of mixed reads and writes with wrk against the demo city, three runs (bench/http/load.sh).
load: build
	@scripts/install-deps --bench
	@bench/http/load.sh $(BUILD)

bench: build
	@scripts/install-deps --bench
	@scripts/run-bench $(BUILD)

lint: build
	@scripts/lint $(BUILD)

lint-format:
	@scripts/lint --format-only

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
