#!/bin/sh
# vlog benchmark: log lines of 100 bytes to a log file, written directly by the main thread or
# through the worker process (lib-vlog's WorkerLogFileWriter), the way ovs-vswitchd's main loop
# runs it. Reports lines per second (first line until the last one is in the file) and the main
# thread's CPU time per line (formatting included, the same in both cases).
#
# Target: through the worker >= 500,000 lines/s, with the main thread spending less per line than
# with direct writes.
#
# Usage: bench/vlog/run.sh [lines] [dir]   (default 1000000 lines, log file in a temporary
#        directory under $TMPDIR, i.e. on the disk that holds it)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/vlog-bench.XXXXXX")
DIR=${2:-$OUT}
trap 'rm -rf "$OUT"' EXIT

echo "building (mvn test-compile)..."
mvn -B -q -pl lib-vlog -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >"$OUT/mvn.log" 2>&1 \
    || { cat "$OUT/mvn.log"; exit 1; }
CP="lib-vlog/target/test-classes:lib-vlog/target/classes:lib-worker/target/classes:lib-core/target/classes:$(cat "$OUT/cp.txt")"

bench() {
    rm -f "$DIR/bench.log"
    # The worker JVM's stderr (its own messages) stays out of the results.
    java -cp "$CP" org.jovs.vlog.VlogWorkerBench "$1" "$N" "$DIR" 2>>"$OUT/java.log"
}
field() {
    echo "$1" | awk -v f="$2" '{ print $f }'
}

echo "system: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)"
echo "log file: $DIR/bench.log ($(df -T "$DIR" | awk 'NR == 2 { print $2 }')), $N lines of 100 bytes"
echo
d=$(bench direct)
w=$(bench worker)
printf "%-28s %14s %22s\n" "" "lines/s" "main-thread ns/line"
printf "%-28s %14s %22s\n" "direct write(2)" "$(field "$d" 2)" "$(field "$d" 3)"
printf "%-28s %14s %22s\n" "through the worker" "$(field "$w" 2)" "$(field "$w" 3)"
