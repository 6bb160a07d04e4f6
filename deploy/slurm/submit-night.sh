#!/usr/bin/env bash
# Queues one night as Slurm jobs: an array of SHARDS scan shards, then the report step, which starts when every
# shard has ended (afterany: the report itself checks that all shards are complete and names the missing ones;
# with afterok, one failed shard would leave the report pending for ever and nobody told which shard failed).
#
#   SHARDS=8 deploy/slurm/submit-night.sh <recordings folder> <output folder> [scan options, e.g. --date yesterday --model ...]
#
# An output folder with {date} (e.g. /srv/qa/{date}) keeps each night's reports apart and a 'latest' link beside them:
# the night is --date (yesterday/today/YYYY-MM-DD, read in TZ, default Europe/Warsaw), fixed here to one day so a
# shard that starts after midnight scans the same night.
#
# Prints "<array job id> <report job id>". Re-running one failed shard of that night (say 3 of 8, array job 1234):
#   sbatch --array=3 --export=ALL,QUALITYSCAN_RUN_ID=slurm-1234 qualityscan-shards.sbatch <recordings> <out> --shard 3/8 [same options]
#   sbatch --dependency=afterok:<that job id> --export=ALL,QUALITYSCAN_RUN_ID=slurm-1234 qualityscan-report.sbatch <out>
# Extra sbatch options (partition, account) go in SBATCH_OPTIONS; QUALITYSCAN is the program's path on the nodes.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: SHARDS=N $0 <recordings folder> <output folder> [scan options...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
shards=${SHARDS:-4}
input=$(realpath "$1") out=$(realpath -m "$2")
shift 2
report_args=("$out")
if [[ $out == *'{date}'* ]]; then
  args=("$@") day=""
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[i]}" = --date ] && [ $((i + 1)) -lt ${#args[@]} ]; then
      day=$(TZ=${TZ:-Europe/Warsaw} date -d "${args[i + 1]}" +%F) || { echo "submit-night.sh: --date ${args[i + 1]} is not a day" >&2; exit 2; }
      args[i + 1]=$day
    fi
  done
  [ -n "$day" ] || { echo "submit-night.sh: $out has {date}, so give --date (e.g. --date yesterday)" >&2; exit 2; }
  set -- "${args[@]}"
  report_args=("$out" --date "$day")
  out=${out//\{date\}/$day}
fi
mkdir -p "$out"
# shellcheck disable=SC2086 # SBATCH_OPTIONS is a list of options
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --array="1-$shards" --chdir="$out" --export="ALL,QUALITYSCAN=${QUALITYSCAN:-qualityscan}" \
  "$here/qualityscan-shards.sbatch" "$input" "$out" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
report=$(sbatch --parsable ${SBATCH_OPTIONS:-} --dependency="afterany:$array" --chdir="$out" \
  --export="ALL,QUALITYSCAN=${QUALITYSCAN:-qualityscan},QUALITYSCAN_RUN_ID=slurm-$array" "$here/qualityscan-report.sbatch" "${report_args[@]}")
report=${report%%;*}
echo "$array $report"
