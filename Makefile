# A thin wrapper over meson so the README's two commands do all the set-up on a fresh Debian machine.
#   make demo   install what is missing, build, run the flagship scenario
#   make check  install what is missing, build, run the whole test suite
BUILD ?= build
MESON_OPTS ?=
APT_PACKAGES = meson ninja-build pkg-config gcc libglib2.0-dev liblua5.4-dev libjson-glib-dev libcairo2-dev python3
# Debian package whose presence proves each dependency (dpkg -s)
# For the tests only: the browser that renders report.html (tests/test-report-browser.py skips without it)
TEST_APT_PACKAGES = chromium
.PHONY: all deps test-deps build demo check clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "trainsim needs these Debian packages; run:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# make check only: the demo does not need a browser
test-deps:
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing for the tests:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "the report's browser test will be skipped without:$$missing (sudo apt-get install -y$$missing)"; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

demo: build
	./$(BUILD)/trainsim run scenarios/simclr-tpu-v3-128.lua

# The closing line counts GTest cases (TAP "ok"/"not ok" lines), not test binaries.
check: build test-deps
	@meson test -C $(BUILD) --print-errorlogs $(TEST_OPTS); rc=$$?; \
	log=$(BUILD)/meson-logs/testlog.txt; \
	ok=$$(grep -cE '^ok [0-9]+' $$log); bad=$$(grep -cE '^not ok [0-9]+' $$log); \
	if [ $$rc -ne 0 ] && [ $$bad -eq 0 ]; then bad=1; fi; \
	echo "$$ok passed, $$bad failed"; exit $$rc

clean:
	rm -rf $(BUILD)
