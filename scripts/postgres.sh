#!/usr/bin/env bash
# The local PostgreSQL cluster for the test run: `start` installs and starts it if needed
# and creates the role and database; `url` prints the DATABASE_URL to use.
set -euo pipefail
DB_USER=soclocal
DB_NAME=soclocal
DB_PASS=soclocal-test
cd /  # the postgres user may not read the current directory
case "${1:-}" in
  url)
    echo "postgres://$DB_USER:$DB_PASS@127.0.0.1:5432/$DB_NAME"
    ;;
  start)
    SUDO=""
    AS_PG="runuser -u postgres --"
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG="sudo -u postgres"; fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      echo "Installing Debian's postgresql..."
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
    fi
    if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
      if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        version=$(ls /usr/lib/postgresql | sort -V | tail -1)
        $SUDO pg_createcluster "$version" main >/dev/null
      fi
      read -r version cluster _ < <(pg_lsclusters -h | head -1)
      $SUDO pg_ctlcluster "$version" "$cluster" start
    fi
    for _ in $(seq 1 30); do
      $AS_PG psql -qtAc "select 1" >/dev/null 2>&1 && break
      sleep 1
    done
    if ! $AS_PG psql -qtAc "select 1 from pg_roles where rolname='$DB_USER'" | grep -q 1; then
      $AS_PG psql -qc "create role $DB_USER login createdb password '$DB_PASS'"
    fi
    if ! $AS_PG psql -qtAc "select 1 from pg_database where datname='$DB_NAME'" | grep -q 1; then
      $AS_PG psql -qc "create database $DB_NAME owner $DB_USER"
    fi
    ;;
  *)
    echo "usage: $0 start|url" >&2
    exit 2
    ;;
esac
