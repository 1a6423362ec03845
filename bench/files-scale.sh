#!/usr/bin/env bash
# `replicator run file --once` beside rsync -a and cp -r, in the same run: a first copy, a no-op pass over the
# unchanged tree (time and peak RSS), and the idle cost of a running replicator watching that tree (CPU seconds per
# wall second, from /proc). One tree per run: FILES files of SIZE bytes in DIRS directories, on BASE.
#   bench/files-scale.sh                                    # 10,000 x 2 KB in 100 dirs, on tmpfs (/dev/shm)
#   BASE=/var/tmp bench/files-scale.sh                      # the same on this machine's disk
#   FILES=1000000 SIZE=1024 DIRS=1000 bench/files-scale.sh  # issue 12's 1,000,000-file tree (long: not in the suite)
#   IDLE_SECONDS=30 (0: skip the idle cost); REPLICATOR="java -cp … io.passthrough.replicator.cli.ReplicatorCommand"
# Output: lines starting with "scale " (one per measure) and a summary table; files.sh runs it at its end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FILES="${FILES:-10000}"
SIZE="${SIZE:-2048}"
DIRS="${DIRS:-100}"
IDLE_SECONDS="${IDLE_SECONDS:-30}"
REPLICATOR="${REPLICATOR:-./replicator}"
IDLE_ARGS="${IDLE_ARGS:-}" # e.g. --replicator.file.poll-delay-ms=5000 for the idle cost
base="${BASE:-/dev/shm}"
[ -d "$base" ] && [ -w "$base" ] || base=/tmp
work="$(mktemp -d "$base/replicator-scale.XXXXXX")"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
fs="$(df --output=fstype "$work" | tail -1 | tr -d ' ')"
echo "scale tree: $FILES x $SIZE bytes in $DIRS directories on $fs ($work), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

per_dir=$(( (FILES + DIRS - 1) / DIRS ))
mkdir -p "$work/in"
for d in $(seq 1 "$DIRS"); do
  dir="$work/in/dir-$d"
  mkdir "$dir"
  head -c $(( per_dir * SIZE )) /dev/urandom | split -b "$SIZE" -d -a 6 - "$dir/part-"
done
find "$work/in" -type f -exec touch -d '2024-01-01 00:00:00' {} +

# wall seconds and peak RSS (KiB) of a command: "secs rss"
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/cmd.log" 2>&1 || { tail -20 "$work/cmd.log" >&2; exit 1; }
  cat "$work/time"
}
once() { # output
  # shellcheck disable=SC2086
  timed $REPLICATOR run file --once --replicator.file.input="$work/in" --replicator.file.output="$1" --replicator.file.settle-ms=0
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

read -r rsync_first rsync_first_rss < <(timed rsync -a "$work/in/" "$work/out-rsync/")
read -r cp_first cp_first_rss < <(timed cp -r "$work/in" "$work/out-cp")
read -r rep_first rep_first_rss < <(once "$work/out-rep")
diff -r -q "$work/in" "$work/out-rep" >/dev/null || { echo "REPLICA DIFFERS" >&2; exit 1; }
read -r rsync_noop rsync_noop_rss < <(timed rsync -a "$work/in/" "$work/out-rsync/")
read -r rep_noop rep_noop_rss < <(once "$work/out-rep")
echo "scale first copy: rsync -a ${rsync_first}s (${rsync_first_rss} KiB), cp -r ${cp_first}s, replicator --once ${rep_first}s (${rep_first_rss} KiB RSS)"
echo "scale no-op pass: rsync -a ${rsync_noop}s (${rsync_noop_rss} KiB), replicator --once ${rep_noop}s (${rep_noop_rss} KiB RSS)"

idle="-"
if [ "$IDLE_SECONDS" -gt 0 ]; then
  # shellcheck disable=SC2086
  $REPLICATOR run file --replicator.file.input="$work/in" --replicator.file.output="$work/out-rep" \
    --replicator.file.settle-ms=0 $IDLE_ARGS >"$work/idle.log" 2>&1 &
  pid=$!
  until grep -q 'Started file-replicator' "$work/idle.log" 2>/dev/null; do sleep 0.2; done
  sleep 5 # the first scans over
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  ticks() { awk '{ print $14 + $15 }' "/proc/$jpid/stat"; }
  t0=$(ticks); w0=$(date +%s.%N)
  sleep "$IDLE_SECONDS"
  t1=$(ticks); w1=$(date +%s.%N)
  kill "$pid"; wait "$pid" || true
  idle=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", t / hz / (b - a) }')
  echo "scale idle cost: replicator watching the unchanged tree: $idle of a core over ${IDLE_SECONDS}s ${IDLE_ARGS:-(default poll-delay-ms)}"
fi

echo
echo "scale summary ($FILES files on $fs; machine load at start $(cut -d' ' -f1 /proc/loadavg)):"
printf '| %-38s | %10s | %10s | %10s | %8s |\n' "measure" "replicator" "rsync -a" "cp -r" "ratio"
printf '| %-38s | %9ss | %9ss | %9ss | %8s |\n' "first copy, wall" "$rep_first" "$rsync_first" "$cp_first" "$(ratio "$rep_first" "$rsync_first")"
printf '| %-38s | %9ss | %9ss | %10s | %8s |\n' "no-op pass, wall" "$rep_noop" "$rsync_noop" "-" "$(ratio "$rep_noop" "$rsync_noop")"
printf '| %-38s | %7sMiB | %7sMiB | %10s | %8s |\n' "peak RSS, first copy" "$((rep_first_rss / 1024))" "$((rsync_first_rss / 1024))" "-" "-"
printf '| %-38s | %10s | %10s | %10s | %8s |\n' "idle cost, cores" "$idle" "-" "-" "-"
