# The README's two commands: `make run` and `make test`. Each installs what is missing
# (scripts/install-deps.sh, Debian packages only), builds, then runs.
BUILD ?= build
DEMO_USERS ?= 2000
export RKD_DATABASE_URL ?= sqlite:data/rekindle.db

.PHONY: deps deps-test configure build web run package test test-fast test-asan test-tsan test-fuzz bench clean

deps:
	scripts/install-deps.sh

deps-test:
	scripts/install-deps.sh --test

# -g1 (line tables: a backtrace names file and line) instead of -g: full debug information
# takes a quarter of the build's time (one file: 12.8 s with -g, 9.3 s with -g1).
configure:
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

# The dashboard is built first: the binary carries it (cmake/embed_web.cmake).
build: configure web
	cmake --build $(BUILD)

web:
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi

run: deps build
	mkdir -p data
	$(BUILD)/rekindle seed --users $(DEMO_USERS) --if-empty --demo-sending
	exec $(BUILD)/rekindle serve

# The tiers in order, so that the fast one fails first (ctest labels, CMakeLists.txt):
# unit and lint (seconds), functional (the real binary), browser, scale (PostgreSQL, NATS,
# several processes), then the sanitizer and fuzz tiers in their own build folders. Each
# tier prints when it starts, so a CI log shows where the time goes.
# The functional modules on SQLite (ctest http_api) run once, against the ASan+UBSan
# binary in the asan tier: the same tests, plus memory checks. The optimized binary runs
# them on PostgreSQL + NATS (scale) and under the browser tests.
CTEST = cd $(BUILD) && ctest --output-on-failure --timeout 900
TIER = @echo "make test: $(1) tier from $$(date +%T)"
test: deps-test build
	$(call TIER,unit and lint)
	$(CTEST) -L 'unit|lint'
	$(call TIER,functional)
	$(CTEST) -L functional -E '^http_api$$'
	$(call TIER,browser)
	$(CTEST) -L browser
	$(call TIER,scale)
	$(CTEST) -L scale
	$(call TIER,sanitizer and fuzz)
	scripts/sanitizer-tests.sh asan tsan fuzz
	@echo "make test: every tier passed at $$(date +%T)"

# The unit and lint tier alone (a few seconds once built).
test-fast: deps-test build
	$(CTEST) -L 'unit|lint' -E '^web_'

test-asan: deps-test web
	scripts/sanitizer-tests.sh asan

test-tsan: deps-test
	scripts/sanitizer-tests.sh tsan

test-fuzz: deps-test
	scripts/sanitizer-tests.sh fuzz

# A Debian package of the binary, templates, systemd units and environment file.
package: build
	cd $(BUILD) && cpack -G DEB

bench: deps-test build
	bench/api_bench.sh

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
