#!/usr/bin/env bash
# Everything `make test` runs: lint, unit and database tests on SQLite, the database tests again on
# a throwaway PostgreSQL cluster, and the browser tests in Debian's chromium. Nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export TABLEE_DATA_DIR=${TABLEE_DATA_DIR:-$(mktemp -d /tmp/tablee-test-data.XXXXXX)}
export TABLEE_DEBUG=1
unset DATABASE_URL EMAIL_URL
start=$(date +%s)

echo "== lint (ruff, import contracts, types)"
$BIN/ruff check src tests bench
$BIN/lint-imports --config pyproject.toml
$BIN/mypy --cache-dir "$TABLEE_DATA_DIR/mypy-cache"

echo "== tests on SQLite"
$BIN/pytest -q -p no:cacheprovider -m "not browser and not e2e and not schemathesis" "$@"

echo "== API against its OpenAPI schema (schemathesis, every persona, bounded examples)"
$BIN/pytest -q -p no:cacheprovider -m schemathesis "$@"

echo "== deployment end to end: nginx + TLS in front of tablee serve; backup and restore while serving"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian nginx…"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; })
  else
    echo "nginx is missing: sudo apt-get install nginx-light" >&2; exit 1
  fi
fi
$BIN/pytest -q -p no:cacheprovider -m e2e "$@"

echo "== database tests on PostgreSQL"
pgdir=$(mktemp -d /tmp/tablee-pg.XXXXXX)
pgport=${TABLEE_TEST_PG_PORT:-$((54000 + RANDOM % 900))}
trap 'scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
DATABASE_URL=$(scripts/pg.sh start "$pgdir" "$pgport")
DATABASE_URL="$DATABASE_URL" $BIN/pytest -q -p no:cacheprovider -m "not browser and not e2e and not schemathesis" --ignore=tests/engine "$@"

echo "== browser tests (Playwright, Debian chromium)"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian chromium…"
    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; })
  else
    echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1
  fi
fi
$BIN/pytest -q -p no:cacheprovider -m browser "$@"

echo "== all green in $(( $(date +%s) - start ))s"
