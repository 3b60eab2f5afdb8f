#!/bin/sh
# `casim replay` at 10^5, 10^6 (and 10^7) records against the bare JSON parse
# of the same file (issue 13, item 9): records per CPU-second and peak RSS.
# The logs are Log Analytics NDJSON that `casim logs` writes for a population
# `casim generate` makes (the built-in mix, 30 days, seed 1, under a 12-hour
# sign-in frequency), cut to exactly N records; replay runs them under SIF 4h.
# The floor (examples/json_floor.rs) reads the file line by line and parses
# each line into a serde_json::Value. Builds nothing:
#   cargo build --release && cargo build --release --example json_floor
#   bench/replay-scale.sh [-c CASIM] [-f JSON_FLOOR] [N...]     (default: 100000 1000000)
# 10^7 records are about 24 GB of NDJSON in $TMPDIR: pass 10000000 on purpose.
set -eu
usage="usage: bench/replay-scale.sh [-c CASIM] [-f JSON_FLOOR] [N...]"
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim
floor=$target/release/examples/json_floor
while getopts c:f:h opt; do
  case "$opt" in
    c) casim=$OPTARG ;;
    f) floor=$OPTARG ;;
    h) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -gt 0 ] || set -- 100000 1000000
[ -x "$casim" ] || { echo "replay-scale.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }
[ -x "$floor" ] || { echo "replay-scale.sh: no json_floor at $floor: build it with 'cargo build --release --example json_floor' or pass -f" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "replay-scale.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }" > "$tmp/base.yaml"
echo "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }" > "$tmp/sif4h.yaml"

# Runs a command under /usr/bin/time; prints "wall cpu rss_mib".
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" ||
    { cat "$tmp/err" >&2; echo "replay-scale.sh: failed: $*" >&2; exit 1; }
  awk '{ printf "%s %.2f %.1f\n", $1, $2 + $3, $4 / 1024 }' "$tmp/time"
}

printf '%-10s %8s | %-28s | %-22s | %s\n' records MB "casim replay: wall CPU RSS" "JSON parse: wall CPU" "records/CPU-s: replay, parse; ratio"
for n in "$@"; do
  case "$n" in ''|*[!0-9]*) echo "replay-scale.sh: N must be a whole number, not '$n'" >&2; exit 2 ;; esac
  # About 13 records a user-day in the built-in mix under SIF 12h.
  users=$(( (n + 389) / 390 + 1 ))
  "$casim" generate --users "$users" --days 30 --seed 1 -o "$tmp/population.yaml" 2> /dev/null
  # 10^7 records need more steps and events than one scenario may hold by default (docs/limits.md).
  sed -i 's/^seed: 1$/seed: 1\nlimits: { max_steps: 200000000, max_events: 2000000000 }/' "$tmp/population.yaml"
  "$casim" logs "$tmp/population.yaml" --policies "$tmp/base.yaml" --format ndjson | head -n "$n" > "$tmp/logs.ndjson"
  rm -f "$tmp/population.yaml"
  got=$(wc -l < "$tmp/logs.ndjson")
  [ "$got" -eq "$n" ] || { echo "replay-scale.sh: the population gave $got records, not $n" >&2; exit 1; }
  mb=$(awk -v b="$(wc -c < "$tmp/logs.ndjson")" 'BEGIN { printf "%.0f", b / 1e6 }')
  set -- $(measure "$casim" replay "$tmp/logs.ndjson" --policies "$tmp/sif4h.yaml")
  r_wall=$1 r_cpu=$2 r_rss=$3
  set -- $(measure "$floor" "$tmp/logs.ndjson")
  f_wall=$1 f_cpu=$2
  awk -v n="$n" -v mb="$mb" -v rw="$r_wall" -v rc="$r_cpu" -v rr="$r_rss" -v fw="$f_wall" -v fc="$f_cpu" 'BEGIN {
    rate = rc > 0 ? n / rc : 0; frate = fc > 0 ? n / fc : 0
    printf "%-10d %8d | %6.2f s %6.2f s %7.1f MiB | %6.2f s %6.2f s     | %.0f, %.0f; %.2fx\n", n, mb, rw, rc, rr, fw, fc, rate, frate, (fc > 0 ? rc / fc : 0)
  }'
  rm -f "$tmp/logs.ndjson"
done
