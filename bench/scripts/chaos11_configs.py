"""Writes the chaos11 run's configuration into the current directory (bench/chaos11.sh calls it):
terminals.yaml (CHAO0001-0040), routes.yaml (bank-a 476173, bank-b 520000), node1/2.yaml (one
PostgreSQL schema, 127.0.0.1 only), world1/2.yaml for the load generators (cards 1-500 of each
bank) and cards-drv.csv for ChaosTerminals (cards 501-600 of each bank). ZMK/TMK key blocks from env."""
import csv
import os

ZMK, TMK = os.environ["ZMK"], os.environ["TMK"]
a = list(csv.DictReader(open("cards-a.csv")))
b = list(csv.DictReader(open("cards-b.csv")))
cols = list(a[0].keys())
with open("cards-drv.csv", "w") as f:
    f.write(",".join(cols) + "\n")
    for prefix, rows in (("", a[500:]), ("B", b[500:])):  # account ids repeat across the two banks' files
        for r in rows:
            f.write(",".join((prefix + r[k]) if k == "account_id" else r[k] for k in cols) + "\n")
tids = ["CHAO%04d" % i for i in range(1, 41)]
with open("terminals.yaml", "w") as f:
    f.write('merchants:\n  - {id: MERCHANT0000001, name: Chaos Shop, mcc: "5411", currency: "156"}\nterminals:\n')
    for t in tids:
        f.write('  - {id: %s, merchantId: MERCHANT0000001, dialect: iso87binary, tmkKeyBlock: "%s"}\n' % (t, TMK))
with open("routes.yaml", "w") as f:
    f.write('routes:\n  - {name: bank-a, bins: ["476173"], primary: bank-a}\n'
            '  - {name: bank-b, bins: ["520000"], primary: bank-b}\n')
here = os.getcwd()
for n, port, ops in ((1, 19601, 19681), (2, 19611, 19682)):
    with open("node%d.yaml" % n, "w") as f:
        f.write(f'''nodeId: node-{n}
businessZone: UTC
listeners: [{{dialect: iso87binary, port: {port}, host: 127.0.0.1}}]
ops: {{host: 127.0.0.1, port: {ops}, token: chaos11-token}}
journal: {{url: "jdbc:postgresql://127.0.0.1:5432/test?ApplicationName=chaos11_node{n}", user: postgres, schema: chaos11_sw, poolSize: 8, owedReversalsDir: {here}/data}}
security: {{lmkFile: {here}/data/lmk.key}}
issuers:
  - {{issuerId: bank-a, host: 127.0.0.1, port: 19690, acquiringInstitutionId: "10000000001", zmkKeyBlock: "{ZMK}"}}
  - {{issuerId: bank-b, host: 127.0.0.1, port: 19691, acquiringInstitutionId: "10000000001", zmkKeyBlock: "{ZMK}"}}
standIn:
  bank-a: {{mode: approve, maxAmountPerCardPerDay: 100000, maxCountPerCardPerDay: 20, types: [purchase]}}
routesFile: {here}/routes.yaml
terminalsFile: {here}/terminals.yaml
''')


def card(r):
    e = r["expiry"]
    return '  - {pan: "%s", expiry: "20%s-%s", serviceCode: "%s", cvv: "%s", pin: "%s"}\n' % (
        r["pan"], e[:2], e[2:], r["service_code"], r["cvv"], r["pin"])


for n, ts in ((1, tids[0:8]), (2, tids[8:16])):
    with open("world%d.yaml" % n, "w") as f:
        f.write("merchantId: MERCHANT0000001\ncurrency: 156\nterminals:\n")
        for t in ts:
            f.write("  - {id: %s, dialect: iso87binary, tmk: 11111111111111112222222222222222}\n" % t)
        f.write("cards:\n")
        for r in a[:500] + b[:500]:
            f.write(card(r))
