#!/usr/bin/env bash
# Checks docker/prometheus/prometheus.yml with promtool, and the PromQL of every query of the
# Grafana dashboard (as recording rules of a throw-away rules file: promtool parses each one). promtool comes from Debian's prometheus
# package, unpacked (not installed: installing would start a Prometheus server) into a cache
# folder the first time. Where the package cannot be had, says so and leaves the check to the
# structural test (DockerDeploymentFilesTest), without failing.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/iso-switch/promtool"
PROMTOOL="$(command -v promtool || true)"
if [ -z "$PROMTOOL" ] && [ -x "$CACHE/usr/bin/promtool" ]; then
  PROMTOOL="$CACHE/usr/bin/promtool"
fi
if [ -z "$PROMTOOL" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  if (cd "$WORK" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null 2>&1; }; }); then
    mkdir -p "$CACHE"
    dpkg-deb -x "$WORK"/prometheus_*.deb "$CACHE"
    PROMTOOL="$CACHE/usr/bin/promtool"
  else
    echo "promtool: Debian's prometheus package could not be fetched; prometheus.yml is checked structurally by the tests only" >&2
    exit 0
  fi
fi
"$PROMTOOL" check config "$ROOT/docker/prometheus/prometheus.yml"
# the dashboard's queries: a rules file with one recording rule per expression, parsed by promtool
RULES="$(mktemp --suffix=.yml)"
trap 'rm -f "$RULES"; rm -rf "${WORK:-}"' EXIT
python3 - "$ROOT/docker/grafana/dashboards/iso-switch.json" > "$RULES" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
print("groups:\n  - name: dashboard\n    rules:")
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        print("      - record: dashboard:panel%s:%s" % (panel["id"], target["refId"]))
        print("        expr: %s" % json.dumps(target["expr"]))
PY
"$PROMTOOL" check rules "$RULES"
