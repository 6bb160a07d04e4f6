#!/usr/bin/env bash
# From a fresh clone to reports: installs ffmpeg if missing, builds QualityScan, and scans sample-audio/ into out/.
# Then prints the per-agent summary and where report.xlsx and the coach pack are. Extra arguments go to `qualityscan scan` (e.g. --workers 2, --force).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh ffmpeg tzdata
dotnet build Pipeline/Pipeline.csproj -c Release -o artifacts/qualityscan --nologo -v quiet
artifacts/qualityscan/qualityscan scan sample-audio --out out "$@"
echo
echo "for people: $(pwd)/out/report.xlsx (open in a spreadsheet) and $(pwd)/out/coach/index.html (open in a browser)"
echo "for programs: out/calls.csv findings.csv agents.csv agents/*.csv errors.csv; history in out/history.db (qualityscan trends --history out/history.db)"
