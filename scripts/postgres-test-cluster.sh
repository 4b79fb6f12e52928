#!/usr/bin/env bash
# Starts a PostgreSQL cluster for the tests (created once with Debian's cluster tools, run by the postgres user, on a
# private port, trusting local connections) and prints its connection string. PostgreSQL refuses to run as root,
# which is why the packaged tools start it.
set -euo pipefail

port=${AGENTHOST_TEST_POSTGRES_PORT:-55432}
cluster=agenthost_test
sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
version=$(ls /usr/lib/postgresql | sort -V | tail -1)

if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
  $sudo pg_createcluster "$version" "$cluster" -p "$port" -- --auth-local=trust --auth-host=trust >/dev/null
  # Enough connections for three nodes' pools and the contract suite's parallel classes.
  $sudo pg_conftool "$version" "$cluster" set max_connections 300 >&2
  # A throwaway cluster: durability across a machine crash is not worth the fsyncs.
  $sudo pg_conftool "$version" "$cluster" set fsync off >&2
  $sudo pg_conftool "$version" "$cluster" set synchronous_commit off >&2
  $sudo pg_conftool "$version" "$cluster" set full_page_writes off >&2
fi

if ! pg_lsclusters -h | awk -v c="$cluster" '$2 == c {print $4}' | grep -qx online; then
  # Its messages (e.g. "Removed stale pid file.") go to stderr: stdout carries only the connection string.
  $sudo pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port"

echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
