#!/usr/bin/env bash
# Installs what the tests need from Debian (skipped when present), builds the solution once and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

# The code interpreter's sandbox (bubblewrap, Debian's Python with pandas, numpy and matplotlib) and the console's
# browser test (chromium).
if ! command -v bwrap >/dev/null || ! command -v chromium >/dev/null \
  || ! /usr/bin/python3 -c 'import pandas, numpy, matplotlib' 2>/dev/null; then
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    bubblewrap python3-pandas python3-numpy python3-matplotlib chromium >/dev/null
fi

# The npm clients and servers the tests drive (official SDKs, agent SDKs, MCP servers): one pinned npm project per
# folder under tests/clients/, installed from its lock file.
for project in tests/clients/*/package.json; do
  [ -e "$project" ] || continue
  dir=$(dirname "$project")
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

dotnet build AgentHost.slnx -c Release -warnaserror
dotnet test AgentHost.slnx -c Release --no-build --logger "console;verbosity=normal"
