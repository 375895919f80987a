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

configure:
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

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
# several processes), then the sanitizer and fuzz tiers in their own build folders.
CTEST = cd $(BUILD) && ctest --output-on-failure --timeout 900
test: deps-test build
	$(CTEST) -L 'unit|lint'
	$(CTEST) -L functional
	$(CTEST) -L browser
	$(CTEST) -L scale
	scripts/sanitizer-tests.sh asan tsan fuzz

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
