# Sourced by ./run-tests and .ci/run: makes sure PostgreSQL answers on 127.0.0.1:5432 with a
# database named 'test', starting or installing it where it is missing.
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "run-tests: installing PostgreSQL" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) 1>&2
fi
if ! pg_ready; then
  echo "run-tests: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 1>&2 || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
if ! pg_ready; then
  echo "run-tests: PostgreSQL is not answering on 127.0.0.1:5432" >&2
  exit 1
fi
if ! psql -h 127.0.0.1 -U postgres -d test -qtAc 'select 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null 2>&1 || \
    su postgres -c "psql -qc 'create database test'" >/dev/null 2>&1 || true
fi
