#!/usr/bin/env bash
# Runs every QualityScan test: installs the Debian packages the tests use (ffmpeg, sox, espeak-ng, bzip2, systemd, tzdata, chromium,
# libreoffice-calc),
# then `dotnet test` over the solution, and ends with one line: "tests: N passed, N failed, N skipped".
# Tests that need ../shared (reference vectors beside the repository) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh ffmpeg sox espeak-ng bzip2 systemd tzdata chromium libreoffice-calc
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test QualityScan.sln -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?
# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 42, Skipped: 1, Total: 43, ..."
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
       n++ }
     END { if (n == 0) { print "tests: no test summary found"; exit 1 } printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log" || status=1
exit "$status"
