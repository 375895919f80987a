# The README's two commands: `make run` and `make test`. Each installs what is missing
# (scripts/install-deps.sh, Debian packages only), builds, then runs.
BUILD ?= build
DEMO_USERS ?= 2000
export RKD_DATABASE_URL ?= sqlite:data/rekindle.db

.PHONY: deps deps-test configure build web run package test bench clean

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
	$(BUILD)/rekindle seed --users $(DEMO_USERS) --if-empty
	exec $(BUILD)/rekindle serve

test: deps-test build
	cd $(BUILD) && ctest --output-on-failure --timeout 900

# A Debian package of the binary, templates, systemd units and environment file.
package: build
	cd $(BUILD) && cpack -G DEB

bench: deps-test build
	bench/api_bench.sh

clean:
	rm -rf $(BUILD)
