#!/usr/bin/env bash
# One command, one report: runs the Kafka benchmarks (throughput rounds against the raw loop and MirrorMaker 2,
# latency at steady rates, memory with the launcher's JVM options on and off, growth with partitions and record
# size) and bench/files.sh, then writes docs/benchmarks.md with its plots (docs/bench-*.png, gnuplot) and the
# benchmark table of README.md (between its bench-table markers). Every figure comes from this run.
#   bench/report.sh           # the full report, about 25 minutes on 2 cores
#   bench/report.sh --quick   # small sizes, one round, 10 s latency runs: checks the pipeline in about 6 minutes
# The raw outputs stay in target/bench-report/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=full
[ "${1:-}" = "--quick" ] && mode=quick
if [ $mode = quick ]; then
  records=100000; rounds=1; seconds=10; big_records=30; mid_records=3000; files_repeat=1
else
  records=1000000; rounds=2; seconds=60; big_records=300; mid_records=30000; files_repeat=3
fi
out=target/bench-report
rm -rf "$out"
mkdir -p "$out" docs
started=$(date +%s)
{
  echo "mode $mode"
  echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "memory $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "kernel $(uname -sr)"
  echo "java $(java -version 2>&1 | head -1)"
  echo "camel $(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml)"
  echo "kafka $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml)"
  echo "latency-seconds $seconds s"
  echo "load-start $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/meta.txt"

if ! command -v rsync >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q rsync >/dev/null 2>&1 || true  # bench/files.sh's anchor
fi
if ! command -v gnuplot >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q gnuplot-nox >/dev/null 2>&1 || echo "could not install gnuplot-nox: no plots" >&2
  else
    echo "gnuplot is missing and this is not root: the report is written without plots" >&2
  fi
fi

step() { echo "== $1 ($(( $(date +%s) - started )) s)" >&2; }
kafka() { local rc=0; BENCH_SKIP_BUILD=${built:-0} bench/kafka.sh "$@" || rc=$?; built=1; return $rc; }

step "build"
./mvnw -B -q -DskipTests package >&2
./replicator --version >/dev/null  # the launcher's class data sharing archive, built once, before anything is timed
step "throughput: $records records, $rounds rounds"
kafka --records $records --rounds $rounds > "$out/throughput.txt" || echo "# exit code $?" >> "$out/throughput.txt"
step "memory: the launcher's JVM options on and off"
# one round swings by as much as the difference sought: rounds alternate, their geometric mean is the ratio
kafka --records $records --rounds $((rounds + 1)) --contenders launcher-alo,launcher-alo-opts,launcher-eos,launcher-eos-opts \
  --launcher-java-opts=-XX:+UseG1GC > "$out/memory.txt" || echo "# exit code $?" >> "$out/memory.txt"
for partitions in 12 48; do
  step "growth: $partitions partitions"
  kafka --records $records --partitions $partitions --contenders raw,launcher-alo > "$out/growth-p$partitions.txt" || echo "# exit code $?" >> "$out/growth-p$partitions.txt"
done
step "growth: 10 KB records"
kafka --records $mid_records --value-bytes 10240 --contenders raw,launcher-alo > "$out/growth-10k.txt" || echo "# exit code $?" >> "$out/growth-10k.txt"
step "growth: 1 MiB records"
kafka --records $big_records --value-bytes 1048576 --set replicator.kafka.target.max.request.size=2162688 \
  --contenders raw,launcher-alo > "$out/growth-1m.txt" || echo "# exit code $?" >> "$out/growth-1m.txt"
step "latency: $seconds s per rate"
kafka latency --seconds $seconds > "$out/latency.txt" || echo "# exit code $?" >> "$out/latency.txt"
step "files"
REPEAT=$files_repeat bench/files.sh > "$out/files.txt" || echo "# exit code $?" >> "$out/files.txt"

echo "load-end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/meta.txt"
echo "seconds $(( $(date +%s) - started ))" >> "$out/meta.txt"
step "report"
python3 bench/report.py "$out" docs README.md
echo "wrote docs/benchmarks.md and README.md's benchmark table in $(( $(date +%s) - started )) s" >&2
