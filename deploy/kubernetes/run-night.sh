#!/usr/bin/env bash
# Runs one night on Kubernetes: the shards Job named per night (its name is the run id every shard and the report
# share, so yesterday's shard results are never merged into tonight's), waits for it, then the report Job. Both scan
# and report the night given here (their --date), so re-running a past night scans that night, not yesterday.
#   deploy/kubernetes/run-night.sh [night YYYYMMDD or YYYY-MM-DD, default yesterday in Europe/Warsaw]   (kubectl configured)
# The report Job is started whether or not every shard succeeded: it names the missing shards and calls and fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
night=${1:-$(TZ=Europe/Warsaw date -d yesterday +%Y%m%d)}
night=${night//-/}
[[ $night =~ ^[0-9]{8}$ ]] || { echo "run-night.sh: the night must be YYYYMMDD or YYYY-MM-DD, not '$1'" >&2; exit 2; }
day="${night:0:4}-${night:4:2}-${night:6:2}"
shards="qualityscan-shards-$night"
report="qualityscan-report-$night"
# The manifests say "--date yesterday"; the line after "- --date" becomes this night.
sed -e "s/^  name: qualityscan-shards$/  name: $shards/" -e "/^            - --date$/{n;s/^            - yesterday$/            - \"$day\"/}" \
  "$here/qualityscan-shards.yaml" | kubectl apply -f -
# Complete, or Failed (a shard out of retries): either way the report step decides and says what is missing.
kubectl wait --for=condition=Complete "job/$shards" --timeout=12h &
complete=$!
kubectl wait --for=condition=Failed "job/$shards" --timeout=12h &
failed=$!
wait -n "$complete" "$failed" || true
kill "$complete" "$failed" 2>/dev/null || true
sed -e "s/^  name: qualityscan-report$/  name: $report/" -e "s/^              value: qualityscan-shards$/              value: $shards/" \
  -e "/^            - --date$/{n;s/^            - yesterday$/            - \"$day\"/}" \
  "$here/qualityscan-report.yaml" | kubectl apply -f -
kubectl wait --for=condition=Complete "job/$report" --timeout=2h
