#!/bin/sh
# casim's events per CPU-second on one core against SimPy's bare event loop
# doing the same number of events (issue 11, item 3: at least 10x), for the
# office and the mixed workload; also mixed against office (target >= 0.67).
# Builds nothing:
#   cargo build --release
#   bench/vs-simpy.sh [-c CASIM] [-r RUNS] [USERS [DAYS]]
# CASIM defaults to $CARGO_TARGET_DIR/release/casim (target/ without the
# variable); USERS to 1000, DAYS to 30. Each side runs RUNS times (default 3)
# and keeps its least CPU time: on a shared machine CPU time still moves by
# tens of percent with what else runs, always upwards.
#
# SimPy comes from PyPI: the first run makes a venv in
# $CARGO_TARGET_DIR/simpy-venv (target/simpy-venv) and pip-installs simpy into
# it; set SIMPY_PYTHON to use another interpreter that already has simpy.
#
# casim runs with RAYON_NUM_THREADS=1 and its CPU time (user + system, from
# getrusage by bench/cpu_time.py to the microsecond, where /usr/bin/time
# rounds to hundredths; loading and generating the users included) is divided into
# its events (`casim run --stats`); SimPy's CPU time is that of `env.run()`
# alone (bench/simpy_floor.py), so the comparison leans towards SimPy.
set -eu
usage="usage: bench/vs-simpy.sh [-c CASIM] [-r RUNS] [USERS [DAYS]]"
here=$(dirname "$0")
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim
runs=3
while getopts c:r:h opt; do
  case "$opt" in
    c) casim=$OPTARG ;;
    r) runs=$OPTARG ;;
    h) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -le 2 ] || { echo "$usage" >&2; exit 2; }
users=${1:-1000} days=${2:-30}
case "$runs" in
  ''|*[!0-9]*|0) echo "vs-simpy.sh: RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;;
esac

[ -x "$casim" ] || { echo "vs-simpy.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }

python=${SIMPY_PYTHON:-}
if [ -z "$python" ]; then
  venv=$target/simpy-venv
  if ! "$venv/bin/python" -c 'import simpy' 2> /dev/null; then
    echo "vs-simpy.sh: installing simpy into $venv (once)" >&2
    python3 -m venv "$venv" || { echo "vs-simpy.sh: cannot make a venv: install python3-venv, or set SIMPY_PYTHON" >&2; exit 1; }
    "$venv/bin/pip" install --quiet simpy || { echo "vs-simpy.sh: pip could not install simpy" >&2; exit 1; }
  fi
  python=$venv/bin/python
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rate() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-8s %12s %10s %18s %18s %12s\n' workload events "casim CPU" "casim ev/CPU-s" "simpy ev/CPU-s" "casim/simpy"
for workload in office mixed; do
  "$here/population.sh" "$workload" "$users" "$days" > "$tmp/$workload.yaml"
  cpu= simpy_rate=0 r=0
  while [ "$r" -lt "$runs" ]; do
    RAYON_NUM_THREADS=1 "$python" "$here/cpu_time.py" "$tmp/time" \
      "$casim" run "$tmp/$workload.yaml" --stats > /dev/null 2> "$tmp/err" ||
      { cat "$tmp/err" >&2; echo "vs-simpy.sh: casim failed on the $workload workload" >&2; exit 1; }
    events=$(sed -n 's/^stats: \([0-9]*\) events.*/\1/p' "$tmp/err")
    [ -n "$events" ] || { echo "vs-simpy.sh: casim printed no 'stats: N events' line" >&2; exit 1; }
    this=$(awk '/^cpu / { printf "%.4f", $2 }' "$tmp/time")
    cpu=$(awk -v a="$this" -v b="${cpu:-$this}" 'BEGIN { print (a < b ? a : b) }')
    # One process per simulated user, as many timeouts in all as casim's events.
    simpy=$("$python" "$here/simpy_floor.py" "$events" "$users")
    this=$(echo "$simpy" | sed -n 's/.*, \([0-9]*\) events per CPU-second$/\1/p')
    [ -n "$this" ] || { echo "vs-simpy.sh: unexpected simpy_floor.py output: $simpy" >&2; exit 1; }
    simpy_rate=$(awk -v a="$this" -v b="$simpy_rate" 'BEGIN { print (a > b ? a : b) }')
    r=$((r + 1))
  done
  awk -v c="$cpu" 'BEGIN { exit !(c > 0) }' ||
    { echo "vs-simpy.sh: casim ran too briefly to time ($cpu s of CPU): give more USERS or DAYS" >&2; exit 1; }
  casim_rate=$(rate "$events" "$cpu")
  printf '%-8s %12s %9ss %18s %18s %11sx\n' "$workload" "$events" "$cpu" "$casim_rate" "$simpy_rate" "$(ratio "$casim_rate" "$simpy_rate")"
  eval "rate_$workload=\$casim_rate"
done
echo "mixed / office events per CPU-second: $(ratio "$rate_mixed" "$rate_office")x (target >= 0.67)"
echo "($users users x $days days, best of $runs runs each, casim with RAYON_NUM_THREADS=1; $("$python" -c 'import simpy, sys; print("simpy", simpy.__version__, "on Python", sys.version.split()[0])'))"
