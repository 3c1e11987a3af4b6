#!/bin/bash
# bench/config/run.sh: how long `ovs-vsctl add-port` takes to return (that is, until the daemon has
# applied the change and cur_cfg caught up), for 1 port and for 200 internal ports added one by
# one, with the real ovs-vswitchd and with ours, in one run. Each daemon gets its own
# ovsdb-server, run directory and network namespace; everything is removed at the end.
#
# usage: bench/config/run.sh [N]     (N internal ports, default 200; run as root after building with
#                              mvn -B -q install -DskipTests)
set -euo pipefail
N=${1:-200}
top=$(cd "$(dirname "$0")/../.." && pwd)
ours=$top/vswitchd/ovs-vswitchd
real=/usr/sbin/ovs-vswitchd
work=$(mktemp -d /tmp/jovs-bench-config.XXXXXX)
tag=$(basename "$work" | tr -dc 'A-Za-z0-9' | tail -c 8)

cleanup() {
    for side in real ours; do
        for pidfile in "$work/$side"/*.pid; do
            [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
        done
        ip netns del "jovs-bench-$side-$tag" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# start SIDE DAEMON: a fresh database, its server, and the daemon in the side's namespace.
start() {
    local side=$1 daemon=$2 dir=$work/$1 ns=jovs-bench-$1-$tag
    mkdir -p "$dir"
    ip netns add "$ns"
    export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir
    ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ovsdb-server --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" --log-file="$dir/ovsdb-server.log" --detach "$dir/conf.db"
    ovs-vsctl --db=unix:"$dir/db.sock" --no-wait init
    ip netns exec "$ns" "$daemon" unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" \
        --log-file="$dir/ovs-vswitchd.log" --detach
    ovs-vsctl --timeout=30 --db=unix:"$dir/db.sock" add-br br0 -- set bridge br0 datapath_type=netdev
}

# run SIDE: prints "ONE_MS MANY_MS" for one port, then N ports one by one.
run() {
    local dir=$work/$1
    local vsctl=(ovs-vsctl --timeout=30 --db=unix:"$dir/db.sock")
    local t0 t1 t2
    t0=$(now_ms)
    "${vsctl[@]}" add-port br0 one -- set interface one type=internal
    t1=$(now_ms)
    for i in $(seq 1 "$N"); do
        "${vsctl[@]}" add-port br0 "p$i" -- set interface "p$i" type=internal
    done
    t2=$(now_ms)
    [ "$("${vsctl[@]}" get interface "p$N" ofport)" != "-1" ] || { echo "$1: p$N has no port number" >&2; exit 1; }
    echo "$((t1 - t0)) $((t2 - t1))"
}

start real "$real"
start ours "$ours"
read -r real_one real_many < <(run real)
read -r ours_one ours_many < <(run ours)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '%-32s %12s %12s %8s\n' "add-port until it returns" "real (ms)" "jovs (ms)" "ratio"
printf '%-32s %12d %12d %8s\n' "1 internal port" "$real_one" "$ours_one" "$(ratio "$ours_one" "$real_one")"
printf '%-32s %12d %12d %8s\n' "$N internal ports, one by one" "$real_many" "$ours_many" "$(ratio "$ours_many" "$real_many")"
