#!/bin/bash
# Startup benchmark: time from launching ovs-vswitchd to the first successful
# "ovs-appctl version", and idle RSS 2 s after that, for the real OVS daemon and for ours,
# N runs each (default 10), interleaved real/ours.
#
# Usage: bench/startup/run.sh [N]
#
# Both /usr/sbin/ovs-vswitchd and ours (vswitchd/ovs-vswitchd) get "unix:DIR/db.sock" of a
# private ovsdb-server with an empty database, started before the clock starts. Both get --pidfile --detach --log-file and a private OVS_RUNDIR/OVS_LOGDIR,
# and both are polled with the real /usr/bin/ovs-appctl. Every run uses a new temporary
# directory; the daemons it started are killed by pid and waited for, and the directory is
# removed, also on error or interrupt.
set -u

N=${1:-10}
case $N in
    ''|*[!0-9]*|0) echo "usage: $0 [RUNS]  (RUNS a positive number, default 10)" >&2; exit 1 ;;
esac

top=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
REAL=/usr/sbin/ovs-vswitchd
OURS=$top/vswitchd/ovs-vswitchd
APPCTL=/usr/bin/ovs-appctl
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
READY_TIMEOUT_MS=60000

for f in "$REAL" "$APPCTL" /usr/sbin/ovsdb-server /usr/bin/ovsdb-tool; do
    [ -x "$f" ] || { echo "$0: $f is missing (install openvswitch-switch)" >&2; exit 1; }
done

kinds=(real)
if [ ! -x "$OURS" ]; then
    echo "NOTE: our launcher $OURS is missing; measuring only the real ovs-vswitchd."
elif [ ! -f "$top/vswitchd/target/ovs-vswitchd.jar" ]; then
    echo "NOTE: $top/vswitchd/target/ovs-vswitchd.jar is missing (build it with:" \
         "mvn -B -q -f $top/pom.xml package -DskipTests); measuring only the real ovs-vswitchd."
else
    kinds=(real ours)
fi

# State of the current run, for cleanup on any exit.
run_dir=
run_pids=()

# Whether 'pid' still runs; an exited daemon may linger as a zombie of a slow init: that counts
# as exited.
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

# Stops 'pid' with SIGTERM, then SIGKILL after 5 s, and waits for it.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 500; i++)); do running "$pid" || return 0; sleep 0.01; done
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 500; i++)); do running "$pid" || return 0; sleep 0.01; done
    echo "$0: pid $pid did not exit" >&2
}

cleanup_run() {
    local pid
    for pid in "${run_pids[@]}"; do
        stop_pid "$pid"
    done
    run_pids=()
    [ -n "$run_dir" ] && rm -rf "$run_dir"
    run_dir=
}
trap cleanup_run EXIT
trap 'exit 130' INT TERM

# Adds the pid in pidfile $1 to the pids this run must stop.
track_pidfile() {
    local pid
    pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && run_pids+=("$pid")
}

vmrss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# Runs one measurement of 'kind' (real or ours) in the current shell, so that cleanup_run
# sees what it started. Sets res_us (launch to ready, microseconds), res_rss and res_wrss (the
# worker's RSS in kB, "-" if there is no worker).
run_once() {
    local kind=$1 start end pid worker
    res_wrss=-
    run_dir=$(mktemp -d /tmp/jovs-bench-startup.XXXXXX)
    export OVS_RUNDIR=$run_dir OVS_LOGDIR=$run_dir OVS_DBDIR=$run_dir
    # Both daemons get the same workload: an empty database of a private ovsdb-server, started
    # before the clock starts. (Ours without a database would run its built-in configuration and
    # create br0 in this network namespace.)
    ovsdb-tool create "$run_dir/conf.db" "$SCHEMA" >"$run_dir/ovsdb.out" 2>&1 &&
        ovsdb-server "$run_dir/conf.db" --pidfile --detach --log-file \
            --remote="punix:$run_dir/db.sock" >>"$run_dir/ovsdb.out" 2>&1
    local status=$?
    track_pidfile "$run_dir/ovsdb-server.pid"
    if [ $status != 0 ]; then
        echo "$0: starting ovsdb-server failed:" >&2
        cat "$run_dir/ovsdb.out" >&2
        return 1
    fi
    local daemon=$OURS
    [ "$kind" = real ] && daemon=$REAL
    local cmd=("$daemon" "unix:$run_dir/db.sock" --pidfile --detach --log-file)

    start=$(date +%s%N)
    if ! "${cmd[@]}" >"$run_dir/launch.out" 2>&1; then
        track_pidfile "$run_dir/ovs-vswitchd.pid"
        echo "$0: ${cmd[*]} failed:" >&2
        cat "$run_dir/launch.out" >&2
        return 1
    fi
    until "$APPCTL" -t ovs-vswitchd version >/dev/null 2>&1; do
        if (( ($(date +%s%N) - start) / 1000000 > READY_TIMEOUT_MS )); then
            track_pidfile "$run_dir/ovs-vswitchd.pid"
            echo "$0: $kind ovs-vswitchd not ready after $((READY_TIMEOUT_MS / 1000)) s" >&2
            return 1
        fi
    done
    end=$(date +%s%N)
    track_pidfile "$run_dir/ovs-vswitchd.pid"
    res_us=$(( (end - start) / 1000 ))

    sleep 2
    pid=$(cat "$run_dir/ovs-vswitchd.pid")
    res_rss=$(vmrss_kb "$pid")
    for worker in $(pgrep -P "$pid"); do
        if tr '\0' ' ' <"/proc/$worker/cmdline" 2>/dev/null | grep -q "worker process for pid"; then
            res_wrss=$(vmrss_kb "$worker")
            run_pids+=("$worker")
        fi
    done
}

# median, min and max of the numbers on standard input, one per line.
stats() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - -"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        print m, v[1], v[NR] }'
}

declare -A ms rss wrss
echo "jovs startup benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -r)"
echo "time from launch to the first successful '$APPCTL version'; $N runs each, interleaved"
echo "real: $REAL unix:<private db.sock> --pidfile --detach --log-file"
[ ${#kinds[@]} -gt 1 ] && echo "ours: $OURS unix:<private db.sock> --pidfile --detach --log-file"
echo "      (each run's private ovsdb-server, with an empty database, is started before the clock starts)"
echo
for ((r = 1; r <= N; r++)); do
    for kind in "${kinds[@]}"; do
        if ! run_once "$kind"; then
            echo "$0: run $r ($kind) failed" >&2
            exit 1
        fi
        cleanup_run
        ms_value=$(awk -v us="$res_us" 'BEGIN { printf "%.1f", us / 1000 }')
        ms[$kind]+="$ms_value "
        rss[$kind]+="${res_rss:-0} "
        [ "$res_wrss" != - ] && wrss[$kind]+="$res_wrss "
        printf 'run %2d  %-4s  %8s ms  RSS %7s kB%s\n' "$r" "$kind" "$ms_value" "${res_rss:-?}" \
            "$([ "$res_wrss" != - ] && echo "  worker RSS $res_wrss kB")"
    done
done

echo
echo "launch to ready (ms)      median       min       max"
for kind in "${kinds[@]}"; do
    read -r med min max < <(tr ' ' '\n' <<<"${ms[$kind]}" | grep . | stats)
    printf '%-22s %9.1f %9.1f %9.1f\n' "$kind" "$med" "$min" "$max"
    eval "median_$kind=$med"
done
if [ ${#kinds[@]} -gt 1 ]; then
    awk -v o="$median_ours" -v r="$median_real" 'BEGIN { printf "ratio ours/real (medians): %.1f\n", o / r }'
fi

echo
echo "idle RSS 2 s after ready (kB)  median       min       max"
for kind in "${kinds[@]}"; do
    label=$kind
    [ "$kind" = ours ] && label="ours (daemon)"
    read -r med min max < <(tr ' ' '\n' <<<"${rss[$kind]}" | grep . | stats)
    printf '%-27s %9.0f %9.0f %9.0f\n' "$label" "$med" "$min" "$max"
    if [ -n "${wrss[$kind]:-}" ]; then
        read -r med min max < <(tr ' ' '\n' <<<"${wrss[$kind]}" | grep . | stats)
        printf '%-27s %9.0f %9.0f %9.0f\n' "ours (worker)" "$med" "$min" "$max"
        read -r -a d <<<"${rss[$kind]}"
        read -r -a w <<<"${wrss[$kind]}"
        total=
        for ((i = 0; i < ${#d[@]}; i++)); do total+="$(( d[i] + ${w[i]:-0} )) "; done
        read -r med min max < <(tr ' ' '\n' <<<"$total" | grep . | stats)
        printf '%-27s %9.0f %9.0f %9.0f\n' "ours (daemon + worker)" "$med" "$min" "$max"
    fi
done
