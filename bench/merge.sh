#!/bin/sh
# Shards against one process (issue 14, item 5): `casim replay` of a generated
# population's logs under a baseline and a proposed set, whole and as N
# shards (`--shard K/N --format partial`), then `casim merge` of the shards.
# Prints each step's wall and CPU time and the merged output's size, and
# checks the merge is byte for byte the whole run's. Builds nothing:
#   cargo build --release
#   bench/merge.sh [-c CASIM] [-u USERS] [-n SHARDS]     (default 2000 users x 7 days, 8 shards)
set -eu
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim users=2000 shards=8
while getopts c:u:n:h opt; do
  case "$opt" in
    c) casim=$OPTARG ;;
    u) users=$OPTARG ;;
    n) shards=$OPTARG ;;
    *) echo "usage: bench/merge.sh [-c CASIM] [-u USERS] [-n SHARDS]" >&2; exit 2 ;;
  esac
done
[ -x "$casim" ] || { echo "merge.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }" > "$tmp/base.yaml"
echo "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }" > "$tmp/sif4h.yaml"
"$casim" generate --users "$users" --days 7 --seed 1 -o "$tmp/population.yaml" 2> /dev/null
"$casim" logs "$tmp/population.yaml" --policies "$tmp/base.yaml" --format ndjson > "$tmp/logs.ndjson"
records=$(wc -l < "$tmp/logs.ndjson")
timed() { # label, command...: runs it, prints wall and CPU
  label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  awk -v l="$label" '{ printf "%-34s %7.2f s wall %7.2f s CPU %7.1f MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$tmp/time"
}
set -- --baseline "$tmp/base.yaml" --proposed "$tmp/sif4h.yaml" --start 2026-01-05
echo "$users users x 7 days: $records records"
timed "replay, one process" sh -c "'$casim' replay '$tmp/logs.ndjson' $* > '$tmp/whole.txt'"
k=1
while [ "$k" -le "$shards" ]; do
  timed "replay, shard $k/$shards" sh -c "'$casim' replay '$tmp/logs.ndjson' $* --shard $k/$shards --format partial > '$tmp/$k.partial'"
  k=$((k + 1))
done
timed "merge of $shards shards" sh -c "'$casim' merge '$tmp'/*.partial > '$tmp/merged.txt'"
echo "partial results: $(cat "$tmp"/*.partial | wc -c) bytes"
cmp -s "$tmp/whole.txt" "$tmp/merged.txt" && echo "merged output = one process's, byte for byte" || { echo "merge.sh: the merged output differs" >&2; exit 1; }
