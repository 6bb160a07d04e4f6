#!/usr/bin/env bash
# Checks the systemd units in deploy/ with `systemd-analyze verify` (Debian package: systemd). The units are copied
# to a scratch folder with the program path pointing at a stand-in executable there, so the check does not depend on
# an installation on this machine.
set -euo pipefail
cd "$(dirname "$0")"
command -v systemd-analyze >/dev/null || { echo "verify.sh: systemd-analyze not found (apt-get install systemd)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/opt/qualityscan" "$root/units"
printf '#!/bin/sh\nexit 0\n' >"$root/opt/qualityscan/qualityscan"
chmod +x "$root/opt/qualityscan/qualityscan"
sed "s#/opt/qualityscan/qualityscan #$root/opt/qualityscan/qualityscan #" qualityscan-nightly.service >"$root/units/qualityscan-nightly.service"
cp qualityscan-nightly.timer "$root/units/"
out=$(cd "$root/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify qualityscan-nightly.service qualityscan-nightly.timer 2>&1) || { echo "$out" >&2; exit 1; }
# verify exits 0 on some warnings; anything it prints about our units is a defect.
if echo "$out" | grep -q "qualityscan"; then echo "$out" >&2; exit 1; fi
echo "deploy units verified"
