#!/bin/bash
# bench/forwarding/run.sh: frames through the userspace ("netdev") datapath, real ovs-vswitchd
# against ours, in one run: TCP throughput (iperf3, one stream, DURATION s) and ping round trip
# time between two client namespaces whose veth pairs are system ports of br0 (standalone, so
# NORMAL switching with MAC learning). Each daemon gets its own ovsdb-server, run directory and
# network namespaces, one after the other (so they do not compete for the CPUs); transmit offloads
# are off on the clients' veths, as OVS's own userspace tests do. Everything is removed at the end.
#
# usage: bench/forwarding/run.sh [DURATION]    (seconds per iperf3 run, default 10; run as root after
#                                 mvn -B -q install -DskipTests; needs iperf3, ping, ethtool)
set -euo pipefail
DURATION=${1:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
ours=$top/vswitchd/ovs-vswitchd
real=/usr/sbin/ovs-vswitchd
for tool in iperf3 ping ethtool; do
    command -v $tool >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done
work=$(mktemp -d /tmp/jovs-bench-fwd.XXXXXX)
tag=$(basename "$work" | tr -dc 'A-Za-z0-9' | tail -c 6)

namespaces() { echo "jovs-bf-$1-$tag jovs-bf-$1-c1-$tag jovs-bf-$1-c2-$tag"; }

stop() {
    local side=$1
    for pidfile in "$work/$side"/*.pid; do
        [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    done
    for ns in $(namespaces "$side"); do
        ip netns del "$ns" 2>/dev/null || true
    done
}

cleanup() {
    stop real
    stop ours
    rm -rf "$work"
}
trap cleanup EXIT

# measure SIDE DAEMON: prints "MBITS RTT_MS" for one daemon.
measure() {
    local side=$1 daemon=$2 dir=$work/$1
    local ns=jovs-bf-$side-$tag c1=jovs-bf-$side-c1-$tag c2=jovs-bf-$side-c2-$tag
    mkdir -p "$dir"
    ip netns add "$ns"
    for i in 1 2; do
        local c=jovs-bf-$side-c$i-$tag
        ip netns add "$c"
        ip -n "$ns" link add "bfp$i$tag" type veth peer name vc netns "$c"
        ip -n "$ns" link set "bfp$i$tag" up
        ip -n "$c" link set lo up
        ip -n "$c" link set vc up
        ip -n "$c" addr add "10.9.0.$i/24" dev vc
        ip netns exec "$c" ethtool -K vc tx off >/dev/null
    done
    export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir
    ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ovsdb-server --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" --log-file="$dir/ovsdb-server.log" --detach "$dir/conf.db"
    ovs-vsctl --db=unix:"$dir/db.sock" --no-wait init
    ip netns exec "$ns" "$daemon" unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" \
        --log-file="$dir/ovs-vswitchd.log" --detach
    ovs-vsctl --timeout=30 --db=unix:"$dir/db.sock" add-br br0 -- set bridge br0 datapath_type=netdev \
        -- add-port br0 "bfp1$tag" -- add-port br0 "bfp2$tag"
    ip netns exec "$c1" ping -c 3 -i 0.2 -W 2 10.9.0.2 >/dev/null || { echo "$side: no connectivity" >&2; exit 1; }

    ip netns exec "$c2" iperf3 -s -1 -D --pidfile "$dir/iperf3.pid"
    sleep 0.5
    local mbits
    mbits=$(ip netns exec "$c1" iperf3 -c 10.9.0.2 -t "$DURATION" -f m | awk '/receiver/ { print $7 }')
    local rtt
    rtt=$(ip netns exec "$c1" ping -q -c 50 -i 0.1 10.9.0.2 | awk -F/ '/^rtt/ { print $5 }')
    stop "$side"
    echo "$mbits $rtt"
}

read -r real_mbits real_rtt < <(measure real "$real")
read -r ours_mbits ours_rtt < <(measure ours "$ours")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '%-34s %12s %12s %8s\n' "netdev datapath, 2 veth ports" "real" "jovs" "jovs/real"
printf '%-34s %12s %12s %8s\n' "iperf3 TCP, ${DURATION} s (Mbit/s)" "$real_mbits" "$ours_mbits" "$(ratio "$ours_mbits" "$real_mbits")"
printf '%-34s %12s %12s %8s\n' "ping RTT avg, 50 x 0.1 s (ms)" "$real_rtt" "$ours_rtt" "$(ratio "$ours_rtt" "$real_rtt")"
