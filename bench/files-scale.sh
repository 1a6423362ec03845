#!/usr/bin/env bash
# `replicator run file --once` beside rsync -a and cp -r, in the same run: a first copy (whole process, and its copy
# time: route started -> last file published), a no-op pass over the unchanged tree (time and peak RSS), and the idle
# cost of a running replicator watching that tree (CPU seconds per wall second, from /proc). One tree per run: FILES
# files of SIZE bytes in DIRS directories, on BASE; REPEAT rounds, each tool once per round (the first copies in turn
# starting with the next tool), every round printed with its own ratios.
#   bench/files-scale.sh                                    # 10,000 x 2 KB in 100 dirs, on tmpfs (/dev/shm)
#   BASE=/var/tmp bench/files-scale.sh                      # the same on this machine's disk
#   FILES=1000000 SIZE=1024 DIRS=1000 REPEAT=1 bench/files-scale.sh  # issue 12's 1,000,000-file tree (long)
#   IDLE_SECONDS=60 (0: skip the idle cost); IDLE_ARGS="--replicator.file.full-scan-ms=0" (every poll a full scan)
#   ONCE_ARGS="--replicator.file.copy-threads=2": settings of the timed --once runs
#   CP=0: no cp -r; every round's copies stay until the end (1 + 3 x REPEAT trees: a 1,000,000-file tree on tmpfs
#   with REPEAT=1 holds four copies, three with CP=0)
#   REPLICATOR="java -cp … io.passthrough.replicator.cli.ReplicatorCommand"; ROWS=FILE: append the summary rows to FILE
#   (bench/files.sh prints them all as one table)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FILES="${FILES:-10000}"
SIZE="${SIZE:-2048}"
DIRS="${DIRS:-100}"
REPEAT="${REPEAT:-3}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
REPLICATOR="${REPLICATOR:-./replicator}"
IDLE_ARGS="${IDLE_ARGS:-}"
ONCE_ARGS="${ONCE_ARGS:-}"
base="${BASE:-/dev/shm}"
[ -d "$base" ] && [ -w "$base" ] || base=/tmp
work="$(mktemp -d "$base/replicator-scale.XXXXXX")"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
fs="$(df --output=fstype "$work" | tail -1 | tr -d ' ')"
label="$FILES x $SIZE B, $fs"
echo "scale tree: $FILES x $SIZE bytes in $DIRS directories on $fs ($work), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

$REPLICATOR --version >/dev/null 2>&1 # builds the jar (and the launcher's class data archive) first if needed
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
  sync
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/cmd.log" 2>&1 || { tail -20 "$work/cmd.log" >&2; exit 1; }
  cat "$work/time"
}
once() { # output
  # shellcheck disable=SC2086
  timed $REPLICATOR run file --once --replicator.file.input="$work/in" --replicator.file.output="$1" \
    --replicator.file.settle-ms=0 --replicator.metrics.port=0 $ONCE_ARGS
}
# the copy of the last `once`: its log's "Started file-replicator" (HH:MM:SS.mmm, today) -> the newest ctime in the
# output (each file is published by a rename, which sets its ctime)
copy_secs() { # output
  local started last
  started=$(date -d "$(date +%F) $(grep -m1 'Started file-replicator' "$work/cmd.log" | cut -d' ' -f1)" +%s.%N)
  last=$(find "$1" -type f -printf '%C@\n' | sort -g | tail -1)
  awk -v a="$started" -v b="$last" 'BEGIN { printf "%.2f", b - a }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
best() { tr ' ' '\n' | { grep -v '^$' || true; } | sort -g | head -1; }

first_rsync() { read -r t rss < <(timed rsync -a "$work/in/" "$out/rsync/"); rf+=" $t"; r_rss=$rss; }
first_cp() {
  if [ "${CP:-1}" != 0 ]; then read -r t _ < <(timed cp -r "$work/in" "$out/cp"); cf+=" $t"; else cf+=" -"; fi
}
first_rep() { read -r t rss < <(once "$out/rep"); ef+=" $t"; e_rss+=" $rss"; copy+=" $(copy_secs "$out/rep")"; }
last() { echo "$1" | awk '{print $NF}'; }
# each round starts the first copies with the next tool: on a disk whose writeback swings within a run, none of them
# always follows the others' writes
firsts=(first_rsync first_cp first_rep)
rf="" cf="" ef="" copy="" rn="" en="" e_rss="" en_rss="" r_rss=""
for round in $(seq "$REPEAT"); do
  # each round copies into new directories, and nothing is removed before the end: on ext4 without a journal (this
  # machine's disk) every file created within minutes of a large removal makes the kernel walk the inode bitmap past
  # each recently freed inode (perf: ext4_create -> recently_deleted, 85 % of the copy's CPU), so a tree removed between
  # two copies slowed whichever tool came next (the replicator in every round, after cp's output or the last round's)
  out="$work/round-$round"
  mkdir "$out"
  for i in 0 1 2; do "${firsts[$(( (i + round - 1) % 3 ))]}"; done
  diff -r -q "$work/in" "$out/rep" >/dev/null || { echo "REPLICA DIFFERS" >&2; exit 1; }
  read -r t _ < <(timed rsync -a "$work/in/" "$out/rsync/"); rn+=" $t"
  read -r t rss < <(once "$out/rep"); en+=" $t"; en_rss+=" $rss"
  echo "scale round $round (load $(cut -d' ' -f1 /proc/loadavg)): first copy rsync -a $(echo "$rf" | awk '{print $NF}')s," \
    "cp -r $(echo "$cf" | awk '{print $NF}')s, replicator --once $(echo "$ef" | awk '{print $NF}')s (copy $(echo "$copy" | awk '{print $NF}')s," \
    "$(( $(echo "$e_rss" | awk '{print $NF}') / 1024 )) MiB); no-op rsync -a $(echo "$rn" | awk '{print $NF}')s," \
    "replicator $(echo "$en" | awk '{print $NF}')s ($(( $(echo "$en_rss" | awk '{print $NF}') / 1024 )) MiB);" \
    "this round's copy / rsync $(ratio "$(last "$copy")" "$(last "$rf")") x, whole / rsync $(ratio "$(last "$ef")" "$(last "$rf")") x"
done
rf_b=$(echo "$rf" | best); cf_b=$(echo "$cf" | tr -d '-' | best); cf_b=${cf_b:+${cf_b}s}; cf_b=${cf_b:--}; ef_b=$(echo "$ef" | best); copy_b=$(echo "$copy" | best)
rn_b=$(echo "$rn" | best); en_b=$(echo "$en" | best)
rss_max=$(echo "$e_rss" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)
rssn_max=$(echo "$en_rss" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)

idle="-"
if [ "$IDLE_SECONDS" -gt 0 ]; then
  # shellcheck disable=SC2086
  $REPLICATOR run file --replicator.file.input="$work/in" --replicator.file.output="$out/rep" \
    --replicator.file.settle-ms=0 --replicator.metrics.port=0 $IDLE_ARGS >"$work/idle.log" 2>&1 &
  pid=$!
  until grep -q 'Started file-replicator' "$work/idle.log" 2>/dev/null; do sleep 0.2; done
  sleep 5 # the first scan over
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  ticks() { awk '{ print $14 + $15 }' "/proc/$jpid/stat"; }
  t0=$(ticks); w0=$(date +%s.%N)
  sleep "$IDLE_SECONDS"
  t1=$(ticks); w1=$(date +%s.%N)
  kill "$pid"; wait "$pid" || true
  idle=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", t / hz / (b - a) }')
  echo "scale idle cost: replicator watching the unchanged tree: $idle of a core over ${IDLE_SECONDS}s ${IDLE_ARGS:-(defaults)}"
fi

rows="$work/rows"
: > "$rows"
row() { printf '| %-50s | %14s | %10s | %8s | %7s |\n' "$@" >> "$rows"; }
row "$label: first copy, whole process" "${ef_b}s" "${rf_b}s" "$cf_b" "$(ratio "$ef_b" "$rf_b")"
row "$label: first copy, copy only" "${copy_b}s" "${rf_b}s" "-" "$(ratio "$copy_b" "$rf_b")"
row "$label: no-op pass, whole process" "${en_b}s" "${rn_b}s" "-" "$(ratio "$en_b" "$rn_b")"
row "$label: peak RSS first copy / no-op" "$((rss_max / 1024))/$((rssn_max / 1024)) MiB" "$((r_rss / 1024)) MiB" "-" "-"
row "$label: idle cost, cores over ${IDLE_SECONDS}s" "$idle" "-" "-" "-"
[ -z "${ROWS:-}" ] || cat "$rows" >> "$ROWS"
echo
echo "scale summary (best of $REPEAT rounds; machine load now $(cut -d' ' -f1 /proc/loadavg)):"
printf '| %-50s | %14s | %10s | %8s | %7s |\n' "measure" "replicator" "rsync -a" "cp -r" "/ rsync"
cat "$rows"
