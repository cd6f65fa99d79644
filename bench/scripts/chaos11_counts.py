"""Counts of a chaos11 run (bench/chaos11.sh calls it at the end, in the run's directory): the
load generators' answers summed over their segments against the journal rows of their terminals
(CHAO0001-0016), and what the journal holds unresolved."""
import glob
import json
import subprocess


def q(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qAt", "-F", " ", "-c", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


sent = answered = timeouts = 0
codes, errors = {}, {}
for f in sorted(glob.glob("results/load*-*.json")):
    d = json.load(open(f))
    sent += d["sent"]; answered += d["answered"]; timeouts += d["timeouts"]
    for k, v in d["responseCodes"].items():
        codes[k] = codes.get(k, 0) + v
    for k, v in d["errors"].items():
        errors[k] = errors.get(k, 0) + v
not_json = [f for f in glob.glob("results/load*-*.txt") if not glob.glob(f[:-4] + ".json")]
print(f"generators: segments without a report {len(not_json)}; sent {sent}, answered {answered}, timeouts {timeouts}")
print(f"generators: codes {dict(sorted(codes.items()))} errors {errors}")
print("journal (load terminals CHAO0001-0016) by mti, state, code:")
print(q("select mti, state, coalesce(response_code,'-'), count(*) from chaos11_sw.journal "
        "where terminal_id between 'CHAO0001' and 'CHAO0016' group by 1,2,3 order by 1,2,3"))
print("journal approvals (code 00) of load terminals:",
      q("select count(*) from chaos11_sw.journal where terminal_id between 'CHAO0001' and 'CHAO0016' and response_code='00'"))
print("journal rows SENT or REVERSAL_PENDING:",
      q("select count(*) from chaos11_sw.journal where state in ('SENT','REVERSAL_PENDING')"))
print("journal_in_flight rows:", q("select count(*) from chaos11_sw.journal_in_flight"))
print("saf_queue by state:", q("select state, count(*) from chaos11_sw.saf_queue group by 1 order by 1").replace("\n", ", "))
print("answered_to_repeat marks:", q("select count(*) from chaos11_sw.journal where answered_to_repeat_at is not null"))
print("rows by business date:", q("select business_date, count(*) from chaos11_sw.journal group by 1 order by 1").replace("\n", ", "))
