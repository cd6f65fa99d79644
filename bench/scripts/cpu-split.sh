#!/usr/bin/env bash
# CPU time of the switch, the load generator and PostgreSQL over a window of a running bench:
#
#   bench/scripts/cpu-split.sh [SECONDS]      # default 10; run it while a profile is measuring
#
# Sums utime + stime (/proc/<pid>/stat) of every process whose command line is the switch
# (`iso-switch.jar demo` or `serve`), the generator (`iso-switch.jar load`) or PostgreSQL
# (`postgres...`: backends, WAL writer, checkpointer), before and after the window, and prints
# each group's CPU seconds beside the machine's busy time (user + nice + system + irq + softirq).
set -euo pipefail
window=${1:-10}
hz=$(getconf CLK_TCK)

snapshot() {
  local switch=0 generator=0 postgres=0 cmd ticks
  for dir in /proc/[0-9]*; do
    cmd=$( { tr '\0' ' ' < "$dir/cmdline"; } 2>/dev/null) || continue
    ticks=$(awk '{print $14 + $15}' "$dir/stat" 2>/dev/null) || continue
    case "$cmd" in
      *iso-switch.jar\ demo*|*iso-switch.jar\ serve*) switch=$((switch + ticks)) ;;
      *iso-switch.jar\ load*) generator=$((generator + ticks)) ;;
      postgres*) postgres=$((postgres + ticks)) ;;
    esac
  done
  echo "$switch $generator $postgres $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}

read -r s0 g0 p0 b0 < <(snapshot)
sleep "$window"
read -r s1 g1 p1 b1 < <(snapshot)
awk -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v p=$((p1 - p0)) -v b=$((b1 - b0)) -v hz="$hz" -v w="$window" -v cores="$(nproc)" \
  'BEGIN { printf "over %d s: switch %.2f s, generator %.2f s, postgres %.2f s, machine busy %.2f s of %d\n",
           w, s / hz, g / hz, p / hz, b / hz, w * cores }'
