#!/usr/bin/env bash
# Installs the Debian packages named in the given list files (one a line, # comments) that are not installed yet;
# uses sudo when not root. Installs nothing, and needs no network, when all are present.
set -euo pipefail

missing=()
for list in "$@"; do
  while read -r package; do
    [ -n "$package" ] || continue
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}" >&2
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
