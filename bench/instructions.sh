#!/bin/sh
# Instructions per event (issue 11, item 3): casim against the bare BinaryHeap
# floor, both counted by callgrind on one thread, for the office and the mixed
# workload. Instruction counts do not move with the machine's load as wall
# times do, so the ratio is comparable between runs. Builds nothing:
#   cargo build --release && cargo build --release --example heap_floor
#   bench/instructions.sh [-c CASIM] [-f HEAP_FLOOR] [USERS [DAYS]]
# CASIM defaults to $CARGO_TARGET_DIR/release/casim (target/ without the
# variable), HEAP_FLOOR to …/release/examples/heap_floor; USERS to 100, DAYS to 30.
#
# Printed per workload: events (`casim run --stats`); instructions per event of
# the whole casim process (loading and generating the users included), of the
# engine alone (callgrind's inclusive count of `Sim::run`, or of
# `Sim::run_journaled` where `run` is inlined into it), of the floor (its
# inclusive `binary_heap_floor`, run for as many events); and engine / floor.
set -eu
usage="usage: bench/instructions.sh [-c CASIM] [-f HEAP_FLOOR] [USERS [DAYS]]"
here=$(dirname "$0")
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim
heap_floor=$target/release/examples/heap_floor
while getopts c:f:h opt; do
  case "$opt" in
    c) casim=$OPTARG ;;
    f) heap_floor=$OPTARG ;;
    h) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
users=${1:-100} days=${2:-30}
[ "$#" -le 2 ] || { echo "$usage" >&2; exit 2; }

command -v valgrind > /dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
command -v callgrind_annotate > /dev/null || { echo "instructions.sh: callgrind_annotate is missing (it comes with valgrind)" >&2; exit 1; }
[ -x "$casim" ] || { echo "instructions.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }
[ -x "$heap_floor" ] || { echo "instructions.sh: no heap_floor at $heap_floor: build it with 'cargo build --release --example heap_floor' or pass -f" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The total of a callgrind output file: its `summary:` (or `totals:`) line.
total() {
  sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$1" | head -n 1
}

# The inclusive instruction count of the function named $2 (without its path).
# callgrind_annotate lists a function once per source file its code comes from
# (inlined code); the line of its own file comes first, being the largest, and
# already includes the others: the same count as --toggle-collect=FUNCTION.
inclusive() {
  count=$(callgrind_annotate --inclusive=yes --threshold=100 "$1" 2> /dev/null |
    awk -v f="$2" '$0 ~ (":[^ ]*" f "( \\[|$)") { gsub(",", "", $1); print $1; exit }')
  [ -n "$count" ] || { echo "instructions.sh: no function '$2' in $1: is the binary built with debug symbols ([profile.release] debug = 1)?" >&2; exit 1; }
  echo "$count"
}

per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-8s %12s %16s %16s %16s %14s\n' workload events "casim instr/ev" "engine instr/ev" "floor instr/ev" "engine/floor"
for workload in office mixed; do
  "$here/population.sh" "$workload" "$users" "$days" > "$tmp/$workload.yaml"
  # One rayon thread: callgrind serialises threads anyway, and one thread has
  # no work-stealing overhead to count.
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/casim-$workload.out" \
    "$casim" run "$tmp/$workload.yaml" --stats > /dev/null 2> "$tmp/casim-$workload.err" ||
    { cat "$tmp/casim-$workload.err" >&2; echo "instructions.sh: casim failed on the $workload workload" >&2; exit 1; }
  events=$(sed -n 's/^stats: \([0-9]*\) events.*/\1/p' "$tmp/casim-$workload.err")
  [ -n "$events" ] || { echo "instructions.sh: casim printed no 'stats: N events' line" >&2; exit 1; }
  valgrind --tool=callgrind --callgrind-out-file="$tmp/floor-$workload.out" \
    "$heap_floor" "$events" > /dev/null 2> "$tmp/floor-$workload.err" ||
    { cat "$tmp/floor-$workload.err" >&2; echo "instructions.sh: heap_floor failed" >&2; exit 1; }
  whole=$(total "$tmp/casim-$workload.out")
  # `Sim::run` hands over to `Sim::run_journaled`, which the compiler may keep apart.
  engine=$(inclusive "$tmp/casim-$workload.out" '::Sim::run(_journaled)?')
  floor=$(inclusive "$tmp/floor-$workload.out" '::binary_heap_floor')
  printf '%-8s %12s %16s %16s %16s %13sx\n' "$workload" "$events" "$(per "$whole" "$events")" \
    "$(per "$engine" "$events")" "$(per "$floor" "$events")" "$(ratio "$engine" "$floor")"
  if [ -n "${KEEP:-}" ]; then
    cp "$tmp/casim-$workload.out" "$tmp/floor-$workload.out" "$KEEP/"
  fi
done
echo "($users users x $days days, RAYON_NUM_THREADS=1; set KEEP=DIR to keep the callgrind files)"
