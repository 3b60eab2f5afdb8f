#!/bin/sh
# Time and memory against population size (issue 11, items 1 and 5): 10^3 to
# 10^6 users for 30 days, office and mixed workloads, then 1,000 mixed users
# for 365 days; each `casim run FILE --stats > /dev/null` under /usr/bin/time -v,
# both cores. Prints events, wall time, events/s and peak RSS. Builds nothing:
#   cargo build --release
#   bench/scale.sh [-c CASIM] [-s MIN_USERS] [-m MAX_USERS] [-w office|mixed]
# CASIM defaults to $CARGO_TARGET_DIR/release/casim (target/ without the
# variable). MAX_USERS (default 1000000, or $SCALE_MAX_USERS) stops the series
# early: 10^6 users take minutes per workload; MIN_USERS (default 1000) starts
# it later, -s 1000000 running 10^6 alone. -w runs one workload only.
# Memory targets (issue 11): 10^6 mixed x 30 days < 300 MB; 1,000 mixed x 365 days < 60 MB.
set -eu
usage="usage: bench/scale.sh [-c CASIM] [-s MIN_USERS] [-m MAX_USERS] [-w office|mixed]"
here=$(dirname "$0")
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim
max=${SCALE_MAX_USERS:-1000000} min=1000
workloads="office mixed"
while getopts c:s:m:w:h opt; do
  case "$opt" in
    c) casim=$OPTARG ;;
    s) min=$OPTARG ;;
    m) max=$OPTARG ;;
    w) workloads=$OPTARG ;;
    h) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || { echo "$usage" >&2; exit 2; }
for n in "$min" "$max"; do
  case "$n" in
    ''|*[!0-9]*) echo "scale.sh: MIN_USERS and MAX_USERS must be whole numbers, not '$n'" >&2; exit 2 ;;
  esac
done
[ "$min" -ge 1 ] || { echo "scale.sh: MIN_USERS must be at least 1" >&2; exit 2; }
case "$workloads" in
  office|mixed|"office mixed") ;;
  *) echo "scale.sh: -w takes office or mixed, not '$workloads'" >&2; exit 2 ;;
esac
[ -x "$casim" ] || { echo "scale.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "scale.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

# 10^6 users x 30 days is over casim's default cap on users x days (10^7,
# a guard against typing one zero too many); these runs are meant.
CASIM_MAX_USER_DAYS=${CASIM_MAX_USER_DAYS:-100000000}
export CASIM_MAX_USER_DAYS

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-8s %9s %5s %14s %10s %12s %10s %12s\n' workload users days events wall "events/s" "CPU" "peak RSS"
one() { # workload users days
  "$here/population.sh" "$1" "$2" "$3" > "$tmp/scenario.yaml"
  /usr/bin/time -v -o "$tmp/time" "$casim" run "$tmp/scenario.yaml" --stats > /dev/null 2> "$tmp/err" ||
    { cat "$tmp/err" "$tmp/time" >&2; echo "scale.sh: casim failed on $1 $2 x $3" >&2; exit 1; }
  events=$(sed -n 's/^stats: \([0-9]*\) events.*/\1/p' "$tmp/err")
  [ -n "$events" ] || { echo "scale.sh: casim printed no 'stats: N events' line" >&2; exit 1; }
  # Elapsed is h:mm:ss or m:ss.ss; the fields after the last ': ' are summed as seconds.
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: \([0-9:.]*\)$/\1/p' "$tmp/time" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' "$tmp/time")
  printf '%-8s %9s %5s %14s %9ss %12s %9ss %8s MiB\n' "$1" "$2" "$3" "$events" "$wall" \
    "$(awk -v e="$events" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? e / w : 0) }')" "$cpu" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
}

users=$min
while [ "$users" -le "$max" ]; do
  for w in $workloads; do one "$w" "$users" 30; done
  users=$((users * 10))
done
case "$workloads" in *mixed*) one mixed 1000 365 ;; esac
