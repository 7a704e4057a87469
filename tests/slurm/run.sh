#!/usr/bin/env bash
# The Slurm recipe, run for real: bring up a one-node Slurm cluster (munged, slurmctld and
# slurmd from Debian's packages, started here and stopped by process id at the end), submit
# contrib/slurm/worthit-array.sbatch as an array of 4 shards and the merge as a job that
# depends on it, and compare every CSV file with a single-process run, byte for byte.
#
#   bash tests/slurm/run.sh [path/to/worthit]     (default: target/release/worthit)
#
# Needs root and the packages slurm-wlm and munge (`.ci/run` installs them); installs nothing.
# Exits non-zero on any failure and prints "slurm test passed" only at the very end.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$repo/target/release/worthit}
timeout=${SLURM_TEST_TIMEOUT:-120}
trials=20000
shards=4

fail() {
    echo "slurm test FAILED: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root (the test starts slurmctld, slurmd and munged)"
for cmd in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$cmd" >/dev/null || fail "$cmd not found: apt-get install slurm-wlm munge"
done
[ -x "$bin" ] || fail "no worthit binary at $bin (cargo build --release)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

started=$(date +%s)
tmp=$(mktemp -d /tmp/worthit-slurm.XXXXXX)
chmod 700 "$tmp"
pids=()

cleanup() {
    status=$?
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" != 0 ]; then
        for log in "$tmp"/*.log "$tmp"/work/slurm-*.out; do
            [ -f "$log" ] || continue
            echo "---- $log (last 20 lines)" >&2
            tail -n 20 "$log" >&2
        done
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on, from $1 upwards.
free_port() {
    local p=$1
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; do
        p=$((p + 1))
    done
    echo "$p"
}
ctld_port=$(free_port "${SLURM_TEST_PORT:-6817}")
slurmd_port=$(free_port $((ctld_port + 1)))

# munge: a fresh key and its own socket, so a system munged (if any) is left alone.
mkdir -p "$tmp/munge"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --foreground --force \
    --key-file="$tmp/munge/munge.key" \
    --socket="$tmp/munge/munge.socket" \
    --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" \
    --log-file="$tmp/munged.log" >"$tmp/munged.out.log" 2>&1 &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=worthit-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

# Wait (bounded) until a command succeeds.
wait_for() {
    local what=$1 limit=$2
    shift 2
    local t=0
    until "$@" >/dev/null 2>&1; do
        t=$((t + 1))
        [ "$t" -le "$limit" ] || fail "$what: not within $limit s"
        sleep 1
    done
}
wait_for "munged's socket" 20 test -S "$tmp/munge/munge.socket"

slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out.log" 2>&1 &
pids+=($!)
wait_for "slurmctld answering" 30 scontrol ping
slurmd -D -N "$host" -f "$SLURM_CONF" >"$tmp/slurmd.out.log" 2>&1 &
pids+=($!)
node_idle() { sinfo -h -n "$host" -o %T | grep -qx idle; }
wait_for "node $host idle" 30 node_idle
echo "slurm: node $host up ($cpus CPUs), slurmctld on port $ctld_port"

# The recipe of docs/cluster.md: the array, then the merge once every shard has succeeded.
cd "$tmp/work"
export WORTHIT=$bin
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 \
    --output="$tmp/work/slurm-%A_%a.out" \
    "$repo/contrib/slurm/worthit-array.sbatch" "$repo/scenarios" --trials "$trials")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$tmp/work/slurm-merge-%j.out" \
    --wrap "\"$bin\" merge output --no-charts")
merge=${merge%%;*}
echo "slurm: submitted array job $array ($shards shards) and merge job $merge"

# A job is over once squeue no longer lists it.
jobs_done() { [ -z "$(squeue -h -j "$array,$merge" -o %i 2>/dev/null)" ]; }
wait_for "jobs $array and $merge finished" "$timeout" jobs_done

# Every array task and the merge completed with exit code 0.
states=$(scontrol -o show job "$array" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c)
completed=$(scontrol -o show job "$array" | grep -c 'JobState=COMPLETED.*ExitCode=0:0' || true)
[ "$completed" = "$shards" ] || fail "array job $array: $completed of $shards tasks completed; states: $states"
scontrol -o show job "$merge" | grep -q 'JobState=COMPLETED.*ExitCode=0:0' ||
    fail "merge job $merge did not complete: $(scontrol -o show job "$merge" | grep -o 'JobState=[A-Z_]*')"
echo "slurm: $completed array tasks and the merge job completed"

# The same run in one process, and every CSV compared byte for byte.
"$bin" run "$repo/scenarios" --trials "$trials" --no-charts --quiet --out single >/dev/null
# A merge answers no scenario questions ([[thresholds]], [[sweeps]]: more runs, not more
# trials), so their files (threshold.csv, sweep_*/) are left out; every other CSV must match.
compare() {
    compared=0
    for f in $(cd single && find . -name '*.csv' ! -name threshold.csv ! -path '*/sweep_*' | sort); do
        [ -f "output/$f" ] || fail "the merge did not write $f"
        cmp "single/$f" "output/$f" || fail "$f differs between the merged and the single-process run"
        compared=$((compared + 1))
    done
    [ "$compared" -ge 26 ] || fail "only $compared CSV files compared"
}
compare
state_files=$(find output -name "shard-*-of-$shards.state" | wc -l)
scenarios=$(find "$repo/scenarios" -maxdepth 1 -name '*.toml' | wc -l)
[ "$state_files" = $((shards * scenarios)) ] ||
    fail "$state_files state files, expected $((shards * scenarios))"
echo "slurm: $compared CSV files of $scenarios scenarios identical to the single-process run"

# The recovery recipe of docs/cluster.md: shard 1 lost, run again alone (with -q given, which
# the script must not pass twice), then merged again.
rm output/*/shard-1-of-$shards.state output/*/*.csv
again=$(WORTHIT_SHARDS=$shards sbatch --parsable --array=1 --cpus-per-task=1 \
    --output="$tmp/work/slurm-again-%A_%a.out" \
    "$repo/contrib/slurm/worthit-array.sbatch" "$repo/scenarios" --trials "$trials" -q)
again=${again%%;*}
remerge=$(sbatch --parsable --dependency=afterok:"$again" --kill-on-invalid-dep=yes --output="$tmp/work/slurm-remerge-%j.out" \
    --wrap "\"$bin\" merge output --no-charts")
remerge=${remerge%%;*}
jobs_done() { [ -z "$(squeue -h -j "$again,$remerge" -o %i 2>/dev/null)" ]; }
wait_for "jobs $again and $remerge finished" "$timeout" jobs_done
for j in "$again" "$remerge"; do
    scontrol -o show job "$j" | grep -q 'JobState=COMPLETED.*ExitCode=0:0' ||
        fail "job $j did not complete: $(scontrol -o show job "$j" | grep -o 'JobState=[A-Z_]*')"
done
compare
echo "slurm: shard 1 run again alone (WORTHIT_SHARDS=$shards, --array=1) and merged: $compared CSV files identical again"
echo "slurm: took $(($(date +%s) - started)) s"
echo "slurm test passed"
