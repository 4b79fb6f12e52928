#!/usr/bin/env bash
# Builds the solution once and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build AgentHost.slnx -c Release -warnaserror
dotnet test AgentHost.slnx -c Release --no-build --logger "console;verbosity=normal"
