#!/usr/bin/env bash
# Runs deploy/slurm for real: starts a single-node Slurm cluster on this machine from Debian's packages (slurm-wlm,
# munge; installed when missing), submits the shard array over sample-audio/ with the dependent report job through
# deploy/slurm/submit-night.sh, waits, and checks the merged reports: calls.csv holds every sample call, run.json says
# complete and was written by the report step of that array's run, and no shard left a non-complete result.
# Needs root (the daemons run as root here) and ~2 minutes on 2 cores. Everything lives in a scratch folder under /tmp;
# the daemons listen on 127.0.0.1 only (ports 16817/16818) and are stopped at the end.
# Usage: scripts/slurm-test.sh [timeout seconds, default 900]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
timeout=${1:-900}
step() { echo "slurm-test: $*"; }
fail() { echo "slurm-test: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root: slurmd runs the jobs as root here and munged needs its key under /etc/munge"
scripts/ensure-packages.sh slurm-wlm munge
if [ ! -x artifacts/qualityscan/qualityscan ]; then
  step "building qualityscan into artifacts/qualityscan"
  dotnet build Pipeline/Pipeline.csproj -c Release -o artifacts/qualityscan --nologo -v quiet
fi

work=$(mktemp -d /tmp/qs-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{state,spool,log,munge,munge-run,out}

# munge: its own key and socket in the scratch folder, so a munged already running on the machine is left alone.
step "starting munged"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge" "$work/munge-run"
chmod 700 "$work/munge"
chmod 755 "$work/munge-run"
chmod 400 "$work/munge/munge.key"
socket="$work/munge-run/munge.socket"
runuser -u munge -- /usr/sbin/munged --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" \
  || fail "munged did not start: $(cat "$work/munge/munged.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$work/munge/munged.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/munge/munged.pid")")
munge --socket="$socket" -n | unmunge --socket="$socket" >/dev/null || fail "munge cannot encode and decode a credential"

cpus=$(nproc)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 - 512 }' /proc/meminfo)
cat >"$work/slurm.conf" <<CONF
ClusterName=qualityscan-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
# No cgroups: they are not writable inside a container (CI's sandbox); processes are tracked by parent pid instead.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
InactiveLimit=0
KillWait=10
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=night Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
echo "# no cgroups here: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none" >"$work/cgroup.conf"
export SLURM_CONF="$work/slurm.conf"

step "starting slurmctld and slurmd (single node 'localhost', $cpus CPUs, ${mem} MB)"
/usr/sbin/slurmctld -i || fail "slurmctld did not start: $(tail -5 "$work/log/slurmctld.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$work/slurmctld.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmctld.pid")")
/usr/sbin/slurmd -N localhost || fail "slurmd did not start: $(tail -5 "$work/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$work/slurmd.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmd.pid")")
for i in $(seq 60); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  [ "$i" -lt 60 ] || fail "the node did not become idle (state '$state'); slurmd log: $(tail -5 "$work/log/slurmd.log")"
  sleep 1
done
step "node idle: $(sinfo -h -o '%P %D %c %m %T')"

# The sample calls, 4 shards of 1 CPU each (2 run at a time on 2 cores), then the report step.
out="$work/out"
read -r array report < <(SHARDS=4 QUALITYSCAN="$repo/artifacts/qualityscan/qualityscan" \
  SBATCH_OPTIONS="--cpus-per-task=1 --mem=1G --output=$work/log/%x-%j.out" \
  deploy/slurm/submit-night.sh "$repo/sample-audio" "$out")
step "submitted array $array and report $report (afterany:$array)"
start=$SECONDS
while :; do
  state=$(scontrol -o show job "$report" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  case "$state" in
    COMPLETED) break ;;
    FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE)
      cat "$work"/log/*.out >&2 || true
      fail "the report job ended $state" ;;
  esac
  [ $((SECONDS - start)) -lt "$timeout" ] || { squeue >&2; cat "$work"/log/*.out >&2 || true; fail "timed out after ${timeout}s (report job state '$state')"; }
  sleep 2
done
step "report job completed after $((SECONDS - start)) s"
for task in $(seq 1 4); do
  tstate=$(scontrol -o show job "${array}_$task" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  [ "$tstate" = COMPLETED ] || fail "array task $task ended ${tstate:-unknown}"
done

# The merged reports: every sample call in calls.csv, run.json complete from the report step of this array's run.
expected=$(tail -n +2 sample-audio/calls.csv | cut -d, -f2 | sort)
got=$(tail -n +2 "$out/calls.csv" | cut -d, -f1 | sort)
[ "$expected" = "$got" ] || fail "calls.csv does not hold exactly the sample calls: $(diff <(echo "$expected") <(echo "$got") | tr '\n' ' ')"
grep -q '"status": "complete"' "$out/run.json" || fail "run.json is not complete: $(cat "$out/run.json")"
grep -q '"command": "report"' "$out/run.json" || fail "run.json was not written by the report step"
grep -q '"shards": 4' "$out/run.json" || fail "run.json does not count 4 shards"
for k in 1 2 3 4; do
  grep -q '"status": "complete"' "$out/shards/slurm-$array/shard-$k-of-4.json" || fail "shard $k/4 of run slurm-$array is not complete"
done
[ -s "$out/report.xlsx" ] && [ -s "$out/coach/index.html" ] || fail "report.xlsx or the coach pack is missing"
step "OK: $(($(wc -l <"$out/calls.csv") - 1)) calls in calls.csv from 4 shards of run slurm-$array; run.json complete"
