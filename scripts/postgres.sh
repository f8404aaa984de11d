#!/usr/bin/env bash
# Starts a local PostgreSQL server for the test suite (installing Debian's package when it is
# missing) and prints the URL of an empty test database. Needs root (apt-get, su postgres).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main"; then
  pg_createcluster "$ver" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$ver" main start >&2
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'communique') THEN
    CREATE ROLE communique LOGIN PASSWORD 'communique' CREATEDB;
  END IF;
END $$;
SQL
if ! su postgres -c "psql -p $port -lqt" | cut -d'|' -f1 | grep -qw communique_test; then
  su postgres -c "createdb -p $port -O communique communique_test" >&2
fi
echo "postgresql://communique:communique@127.0.0.1:$port/communique_test"
