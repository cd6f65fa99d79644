# Sourced by ./run-tests and .ci/run: the dashboard's browser test needs Debian's headless
# Chromium (/usr/bin/chromium). Installed once when missing; a no-op when it is there.
if ! command -v chromium >/dev/null 2>&1; then
  echo "run-tests: installing chromium for the dashboard's browser test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) 1>&2
fi
