#!/usr/bin/env bash
# Starts AgentHost on its embedded defaults (http://127.0.0.1:8080, SQLite in ./data), first installing the Debian
# packages its code interpreter needs when they are missing. Arguments go to the server, e.g. --AgentHost:ApiKey=….
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-packages.sh scripts/runtime-packages.txt
exec dotnet run --project src/AgentHost.Server -c Release -- "$@"
