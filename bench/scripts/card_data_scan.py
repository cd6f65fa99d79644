#!/usr/bin/env python3
"""Searches files for the card data of a demo or simulator run (session 12's leak hunt).

Needles, per card of the given world files (load-world.yaml, as `demo` writes it) and card files
(CSV, as `issuer --write-cards` writes it): the PAN as ASCII digits, as BCD bytes, as UTF-16, in
base64 (of the digits and of the BCD bytes, at every alignment), ten middle digits; track 2's
discretionary part after the PAN ('=YYMM' + service code + CVV, as text, as hex text with the
'D' separator, as BCD bytes) and the CVV with its padding; the clear ISO-0 PIN block (hex text and
bytes). Encrypted PIN blocks (field 52 as `decode --unmasked` prints them, one hex per line in
--pin-blocks) as hex text, bytes and base64. Every byte of every file under the paths is read.

  card_data_scan.py --world data/demo/load-world.yaml [--cards cards.csv] [--pin-blocks pb.txt] PATH...

Exit 1 when any needle is found. The demo's own credential files (demo-credentials.txt,
load-world.yaml) and the card file hold the cards by design: exclude them or expect their hits.
"""
import argparse, base64, csv, os, sys
import yaml


def b64_variants(raw):
    out = set()
    for pre in range(3):
        enc = base64.b64encode(b"\0" * pre + raw)
        start = (pre * 4 + 2) // 3 + (1 if pre else 0)   # characters that still depend on the prefix
        s = enc[start:][:-4]                               # and on the bytes after the needle
        if len(s) >= 12:
            out.add(s)
    return out


def card_needles(pan, expiry_yymm=None, service=None, cvv=None, pin=None):
    tag = f"{pan[:6]}..{pan[-4:]}"
    n = [(f"pan {tag}", pan.encode(), False), (f"pan-utf16 {tag}", pan.encode("utf-16-be"), False)]
    if len(pan) % 2 == 0:
        n.append((f"pan-bcd {tag}", bytes.fromhex(pan), False))
        n += [(f"pan-bcd-b64 {tag}", s, False) for s in b64_variants(bytes.fromhex(pan))]
    if len(set(pan[3:13])) > 2:
        n.append((f"pan-middle10 {tag}", pan[3:13].encode(), False))
    n += [(f"pan-b64 {tag}", s, False) for s in b64_variants(pan.encode())]
    if expiry_yymm and service and cvv:
        disc = expiry_yymm + service + cvv
        n += [(f"track2-discretionary {tag}", ("=" + disc).encode(), False),
              (f"track2-discretionary-hex {tag}", ("d" + disc).encode(), True),
              (f"track2-discretionary-bcd {tag}", bytes.fromhex("d" + disc + "0"), False),
              (f"cvv-padded {tag}", (service + cvv + "00000").encode(), False)]
    if pin:
        a = ("0" + format(len(pin), "X") + pin).ljust(16, "F")
        clear = "%016X" % (int(a, 16) ^ int("0000" + pan[-13:-1], 16))
        n += [(f"clear-pin-block {tag}", clear.encode(), True), (f"clear-pin-block-bytes {tag}", bytes.fromhex(clear), False)]
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", action="append", default=[])
    ap.add_argument("--cards", action="append", default=[])
    ap.add_argument("--pan", action="append", default=[], help="a PAN with no card file (an unknown card sent)")
    ap.add_argument("--pin-blocks")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    needles = []
    for w in args.world:
        for c in yaml.safe_load(open(w))["cards"]:
            y, m = c["expiry"].split("-")
            needles += card_needles(c["pan"], y[2:] + m, c.get("serviceCode"), c.get("cvv"), c.get("pin"))
    for f in args.cards:
        for r in csv.DictReader(open(f)):
            needles += card_needles(r["pan"], r.get("expiry"), r.get("service_code"), r.get("cvv"), r.get("pin") or None)
    needles += [x for p in args.pan for x in card_needles(p)]
    if args.pin_blocks:
        for pb in open(args.pin_blocks).read().split():
            needles += [(f"pin-block {pb}", pb.encode(), True), (f"pin-block-bytes {pb}", bytes.fromhex(pb), False)]
            needles += [(f"pin-block-b64 {pb}", s, False) for s in b64_variants(bytes.fromhex(pb))]
    found = 0
    for root in args.paths:
        files = [root] if os.path.isfile(root) else [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
        for path in sorted(files):
            data = open(path, "rb").read()
            low = data.lower()
            hits = []
            for label, needle, caseless in needles:
                i = (low if caseless else data).find(needle.lower() if caseless else needle)
                if i >= 0:
                    hits.append((label, i, data[max(0, i - 60):i + len(needle) + 30]))
            if hits:
                found += 1
                print(f"== {path}: {len(hits)} needle(s)")
                for label, i, ctx in hits[:10]:
                    print(f"   {label} @ {i}: {ctx!r}")
    print(f"{len(needles)} needles, {found} file(s) with hits")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
