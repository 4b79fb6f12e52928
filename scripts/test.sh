#!/usr/bin/env bash
# Installs what the tests need from Debian (skipped when present), builds the solution once and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

# The code interpreter's sandbox, the console's browser test and PostgreSQL: the Debian packages in these lists, when missing.
bash scripts/install-packages.sh scripts/runtime-packages.txt scripts/test-packages.txt

# The npm clients and servers the tests drive (official SDKs, agent SDKs, MCP servers): one pinned npm project per
# folder under tests/clients/, installed from its lock file.
for project in tests/clients/*/package.json; do
  [ -e "$project" ] || continue
  dir=$(dirname "$project")
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# PostgreSQL for the store contract suite and the server suites on PostgreSQL: a private cluster on its own port.
AGENTHOST_TEST_POSTGRES=$(bash scripts/postgres-test-cluster.sh)
export AGENTHOST_TEST_POSTGRES

dotnet build AgentHost.slnx -c Release -warnaserror

# Every test run also writes .trx files, from which the failures are printed again at the end of the log.
results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test AgentHost.slnx -c Release --no-build --logger "console;verbosity=normal" --logger trx \
  --results-directory "$results/sqlite" || status=$?

# The store-heavy server suites a second time on PostgreSQL (each test server on its own schema): Assistants, files,
# vector stores, traces, budgets, Responses, Conversations, containers, Messages threads and Managed Agents; the gateway, conformance,
# MCP and sandbox suites do not depend on the store and run once.
AGENTHOST_TEST_STORE=postgres dotnet test tests/AgentHost.Server.Tests -c Release --no-build --logger "console;verbosity=normal" \
  --logger trx --results-directory "$results/postgres" \
  --filter "FullyQualifiedName~.Assistants.|FullyQualifiedName~.Runs.|FullyQualifiedName~.Files.|FullyQualifiedName~.Uploads.|FullyQualifiedName~.VectorStores.|FullyQualifiedName~.FileSearch.|FullyQualifiedName~.Hosting.|FullyQualifiedName~.Observability.TraceTests|FullyQualifiedName~.Observability.BudgetTests|FullyQualifiedName~.Responses.|FullyQualifiedName~.Conversations.|FullyQualifiedName~.Containers.|FullyQualifiedName~MessageThread|FullyQualifiedName~.ManagedAgents." || status=$?

if [ "$status" -ne 0 ]; then
  python3 scripts/print-test-failures.py "$results"
  exit "$status"
fi

# The library's package, and the engine and store packages it depends on, must pack cleanly (XML docs, no warnings).
for project in src/AgentHost.Core src/AgentHost.Storage.Sqlite src/AgentHost.Storage.Postgres src/AgentHost.Agents; do
  dotnet pack "$project" -c Release --no-build -warnaserror -o artifacts/packages
done
