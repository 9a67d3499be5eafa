#!/usr/bin/env bash
# Makes sure a PostgreSQL answers at FAULTLINE_TEST_PG's host (default 127.0.0.1:5432) with a
# database `test`, for the store tests: starts the Debian cluster where it is down, installs the
# server from Debian's packages where there is none, and creates the database where it is missing.
set -uo pipefail
url="${FAULTLINE_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! answers && command -v pg_ctlcluster >/dev/null 2>&1; then
  for v in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
answers || { echo "ensure-postgres: nothing answers at 127.0.0.1:5432"; exit 1; }
case "$url" in
  */test|*/test\?*)
    psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'test'" postgres 2>/dev/null | grep -q 1 ||
      psql -h 127.0.0.1 -U postgres -c "create database test" postgres >/dev/null 2>&1 || true ;;
esac
echo "ensure-postgres: PostgreSQL answers at 127.0.0.1:5432"
