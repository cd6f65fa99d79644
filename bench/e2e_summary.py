#!/usr/bin/env python3
"""Summaries for bench/run-e2e.sh.

  e2e_summary.py line FILE.json NAME     one line for one run
  e2e_summary.py report OUT RESULTS.md   one line per figure (median and spread over the
                                         repetitions, ratio against jPOS), and the e2e section of
                                         RESULTS.md between its markers
"""
import glob
import json
import os
import re
import statistics
import sys

START = "<!-- e2e:start -->"
END = "<!-- e2e:end -->"


def load(path):
    with open(path) as f:
        r = json.load(f)
    cpu = path[:-len(".json")] + ".cpu"
    r["cpuUsPerTxn"] = None
    if os.path.exists(cpu):
        ticks, hz = (int(x) for x in open(cpu).read().split())
        if r.get("answeredAllPhases"):
            r["cpuUsPerTxn"] = ticks * 1e6 / hz / r["answeredAllPhases"]
    return r


def errors(r):
    return r["timeouts"] + sum(r["errors"].values())


def run_line(r, name):
    lat = r["latencyMs"]
    return (f"{name:<22} {r['throughputPerSecond']:>10,.0f}/s  p50 {lat['p50']:.3f}  p99 {lat['p99']:.3f}  "
            f"p99.9 {lat['p999']:.3f}  max {lat['max']:.3f} ms  errors {errors(r)}"
            + (f"  server CPU {r['cpuUsPerTxn']:.0f} us/txn" if r["cpuUsPerTxn"] else "")
            + (f"  generator CPU {r['generatorCpuMicrosPerAnswer']:.0f} us/txn" if r.get("generatorCpuMicrosPerAnswer") else ""))


def runs(out, prefix):
    files = sorted(glob.glob(os.path.join(out, prefix + "-[0-9]*.json")),
                   key=lambda p: int(re.search(r"-(\d+)\.json$", p).group(1)))
    return [load(p) for p in files]


def med(values):
    return statistics.median(values) if values else float("nan")


def spread(values, fmt):
    if not values:
        return "n/a"
    return f"{fmt(min(values))}-{fmt(max(values))}"


def tps(v):
    return f"{v:,.0f}"


def us(v):
    return "n/a" if v != v else f"{v:.0f}"


def ms(v):
    return f"{v:.3f}"


class Figure:
    def __init__(self, label, rs):
        self.label = label
        self.n = len(rs)
        self.tps = [r["throughputPerSecond"] for r in rs]
        self.p50 = [r["latencyMs"]["p50"] for r in rs]
        self.p99 = [r["latencyMs"]["p99"] for r in rs]
        self.p999 = [r["latencyMs"]["p999"] for r in rs]
        self.max = [r["latencyMs"]["max"] for r in rs]
        self.errors = sum(errors(r) for r in rs)
        self.cpu = [r["cpuUsPerTxn"] for r in rs if r["cpuUsPerTxn"]]
        self.gen = [r["generatorCpuMicrosPerAnswer"] for r in rs if r.get("generatorCpuMicrosPerAnswer")]
        self.codes = {}
        for r in rs:
            for code, count in r["responseCodes"].items():
                self.codes[code] = self.codes.get(code, 0) + count

    def row(self):
        return (f"| {self.label} | {self.n} | {tps(med(self.tps))} ({spread(self.tps, tps)}) | "
                f"{ms(med(self.p50))} | {ms(med(self.p99))} ({spread(self.p99, ms)}) | "
                f"{ms(med(self.p999))} | {ms(med(self.max))} | {self.errors} | {us(med(self.cpu))} | {us(med(self.gen))} |")

    def line(self):
        return (f"{self.label:<44} {tps(med(self.tps)):>9}/s ({spread(self.tps, tps)})  "
                f"p99 {ms(med(self.p99))} ms  p99.9 {ms(med(self.p999))} ms  errors {self.errors}  "
                f"server CPU {us(med(self.cpu))} us/txn")


def ratio(a, b):
    return a / b if b else float("nan")


def report(out, results):
    machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "machine.txt")) if "=" in line)
    figures = []
    ratios = []
    lines = []

    def figure(label, prefix):
        rs = runs(out, prefix)
        if not rs:
            return None
        f = Figure(label, rs)
        figures.append(f)
        lines.append(f.line())
        return f

    def compare(what, ours, theirs, target):
        if ours is None or theirs is None:
            return
        t = ratio(med(ours.tps), med(theirs.tps))
        p = ratio(med(ours.p99), med(theirs.p99))
        c = ratio(med(ours.cpu), med(theirs.cpu))
        ratios.append(f"| {what} | **{t:.2f}x** | {p:.2f}x | {c:.2f}x | {target} |")
        lines.append(f"ratio {what}: throughput {t:.2f}x, p99 {p:.2f}x, server CPU per transaction {c:.2f}x  (target {target})")

    echo_s = figure("echo 0800, switch", "echo-switch")
    echo_j = figure("echo 0800, jPOS", "echo-jpos")
    compare("echo, switch / jPOS", echo_s, echo_j, "throughput >= 3x, p99 <= 0.33x")
    auth_s = figure("card mix, switch, in-memory H2 journal", "auth-switch")
    auth_j = figure("card mix, jPOS (answers, checks nothing)", "auth-jpos")
    compare("card mix in memory, switch / jPOS same messages", auth_s, auth_j, "-")
    full_s = figure("card mix, switch, full path on PostgreSQL", "full-switch")
    full_j = figure("echo 0800, jPOS (alternating with the above)", "full-jpos-echo")
    compare("full path on PostgreSQL / jPOS echo", full_s, full_j, "throughput >= 1x")
    fixed = figure(f"full path at a fixed {machine.get('fixed_rate', '?')} tps, "
                   f"{machine.get('fixed_connections', machine.get('connections'))} connections", "fixed-switch")
    many = figure("many connections, echo at a fixed rate", "many-switch")

    for l in lines:
        print(l)

    md = [START, "", f"## End to end ({machine.get('date', '?')})", ""]
    md.append(f"Machine: {machine.get('cores')} cores ({machine.get('cpu')}), {machine.get('memory')}; "
              f"load average at start {machine.get('load_at_start')}. JDK: {machine.get('jdk')}.")
    md.append(f"Switch JVM `{machine.get('switch_opts')}`, jPOS JVM `{machine.get('jpos_opts')}`, load generator JVM "
              f"`{machine.get('load_opts')}`; all three, the issuer simulators (in the switch's JVM) and PostgreSQL share the machine.")
    md.append(f"Each run: {machine.get('warmup')} s warm-up, then {machine.get('duration')} s measured, "
              f"{machine.get('connections')} connections, one request in flight each (closed loop) unless said; "
              f"card mix `{machine.get('mix')}`; the fixed rate over {machine.get('fixed_connections', machine.get('connections'))} "
              f"connections, one in flight each; every switch start is followed by one unrecorded priming run. "
              f"Many connections: {machine.get('many')} connections, {machine.get('many_rate')} echoes/s in all, "
              f"{machine.get('many_duration')} s.")
    md.append(f"Runs: {machine.get('reps')}. Switch and jPOS alternate run by run. Latency is from each request's "
              "due time (closed loop: its send; fixed rate: its slot in the schedule). Server CPU per transaction is the "
              "server process's user + system time over the run divided by every answer of the run (the switch's "
              "includes its in-process issuer simulators and, for H2, the database).")
    md += ["", "Command:", "", "```sh", "bench/run-e2e.sh    # PROFILES, REPS, DURATION, CONNECTIONS... at the top of the script", "```", ""]
    md.append("| figure | runs | throughput/s median (min-max) | p50 ms | p99 ms median (min-max) | p99.9 ms | max ms | errors | server CPU us/txn | generator CPU us/txn |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    md += [f.row() for f in figures]
    if ratios:
        md += ["", "| ratio (medians) | throughput | p99 | server CPU per transaction | target |",
               "|---|---:|---:|---:|---|"] + ratios
    if fixed is not None:
        served = fixed.errors == 0 and med(fixed.tps) > 0
        ok = served and med(fixed.p99) <= 5 and med(fixed.p999) <= 20
        not_sent = sum(r["errors"].get("NOT_SENT", 0) for r in runs(out, "fixed-switch"))
        why = "" if served else (f" The switch did not sustain the rate: {fixed.errors:,} errors over the runs, "
                                 f"{not_sent:,} of them requests due in the window that never left the generator "
                                 "because every connection stayed full (coordinated-omission correction: they count, "
                                 "they are not dropped).")
        md += ["", f"Fixed rate target (p99 <= 5 ms, p99.9 <= 20 ms, every request served): {'met' if ok else 'not met'} "
                   f"(median p99 {ms(med(fixed.p99))} ms, p99.9 {ms(med(fixed.p999))} ms).{why}"]
    if many is not None:
        mem = ""
        mem_file = os.path.join(out, "many-switch-memory.txt")
        if os.path.exists(mem_file):
            mem = " Switch memory: " + ", ".join(" ".join(l.split()) for l in open(mem_file)) + "."
        r = runs(out, "many-switch")[0]
        md += ["", f"Many connections: {r['connections']:,} connections held, {r['answered']:,} echoes answered, "
                   f"{errors(r)} errors (target: 10,000 connections, no error), p50 {ms(r['latencyMs']['p50'])} ms, "
                   f"p99 {ms(r['latencyMs']['p99'])} ms from due time.{mem}"]
    codes = {}
    for f in figures:
        for c, n in f.codes.items():
            codes[c] = codes.get(c, 0) + n
    md += ["", "Answers by response code over all runs: " + ", ".join(f"{c}: {n:,}" for c, n in sorted(codes.items())) + ".",
           "", END]
    section = "\n".join(md) + "\n"
    text = open(results).read() if os.path.exists(results) else "# Benchmark results\n"
    if START in text and END in text:
        text = text[:text.index(START)] + section.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(results, "w") as f:
        f.write(text)
    print(f"written: {results}")


if __name__ == "__main__":
    if sys.argv[1] == "line":
        print(run_line(load(sys.argv[2]), sys.argv[3]))
    else:
        report(sys.argv[2], sys.argv[3])
