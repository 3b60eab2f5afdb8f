#!/bin/sh
# `casim logs --format ndjson` against a plain serde_json writer of the same
# records (issue 11, item 4: within 2x). The writer (examples/ndjson_writer.rs)
# reads casim's NDJSON, parses each line into a serde_json::Value untimed, and
# times only writing it back with serde_json::to_writer; casim's time is the
# whole command, simulation and loading included. Both write to /dev/null,
# the writer's records coming through a pipe, so no file of records is kept.
# Builds nothing:
#   cargo build --release && cargo build --release --example ndjson_writer
#   bench/logs-vs-serde.sh [-i] [-c CASIM] [-n NDJSON_WRITER] [-u USERS | FILE]
# CASIM defaults to $CARGO_TARGET_DIR/release/casim (target/ without the
# variable), NDJSON_WRITER to …/release/examples/ndjson_writer. FILE defaults
# to bench/make-population.sh USERS (default 20): USERS users, one year of
# background Outlook, 9,126 records (21 MB of NDJSON) per user.
# Times move with the machine's load; -i also counts instructions under
# callgrind (casim's whole process against the writer's `write_record`),
# which do not: slow, so pass a small -u (2 takes about a minute).
set -eu
usage="usage: bench/logs-vs-serde.sh [-c CASIM] [-n NDJSON_WRITER] [FILE]"
here=$(dirname "$0")
target=${CARGO_TARGET_DIR:-target}
casim=$target/release/casim
writer=$target/release/examples/ndjson_writer
users=20 instructions=
while getopts ic:n:u:h opt; do
  case "$opt" in
    i) instructions=1 ;;
    c) casim=$OPTARG ;;
    n) writer=$OPTARG ;;
    u) users=$OPTARG ;;
    h) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -le 1 ] || { echo "$usage" >&2; exit 2; }
[ -x "$casim" ] || { echo "logs-vs-serde.sh: no casim binary at $casim: build it with 'cargo build --release' or pass -c" >&2; exit 1; }
[ -x "$writer" ] || { echo "logs-vs-serde.sh: no ndjson_writer at $writer: build it with 'cargo build --release --example ndjson_writer' or pass -n" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "logs-vs-serde.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$#" -eq 1 ]; then
  file=$1
  [ -r "$file" ] || { echo "logs-vs-serde.sh: cannot read $file" >&2; exit 1; }
else
  file=$tmp/population-$users.yaml
  "$here/make-population.sh" "$users" > "$file"
fi

/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$casim" logs "$file" --format ndjson > /dev/null 2> "$tmp/err" ||
  { cat "$tmp/err" >&2; echo "logs-vs-serde.sh: casim logs failed on $file" >&2; exit 1; }
read -r wall user sys rss < "$tmp/time"
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')

# Written again, into the writer: only its own timed part counts.
"$casim" logs "$file" --format ndjson 2> /dev/null | "$writer" > /dev/null 2> "$tmp/writer"
line=$(cat "$tmp/writer")
records=$(echo "$line" | sed -n 's/^records \([0-9]*\),.*/\1/p')
bytes=$(echo "$line" | sed -n 's/.*bytes \([0-9]*\),.*/\1/p')
write=$(echo "$line" | sed -n 's/.*write_seconds \([0-9.]*\)$/\1/p')
[ -n "$write" ] || { echo "logs-vs-serde.sh: unexpected ndjson_writer output: $line" >&2; exit 1; }

echo "$file: $records records, $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB of NDJSON"
echo "casim logs:        ${wall} s wall, ${cpu} s CPU, peak RSS $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
echo "serde_json writer: ${write} s (writing only)"
echo "casim logs / writer: $(awk -v a="$wall" -v b="$write" 'BEGIN { printf "%.2f", a / b }')x wall, $(awk -v a="$cpu" -v b="$write" 'BEGIN { printf "%.2f", a / b }')x CPU (target <= 2)"

[ -n "$instructions" ] || exit 0
command -v valgrind > /dev/null || { echo "logs-vs-serde.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
"$casim" logs "$file" --format ndjson > "$tmp/records.ndjson"
valgrind --tool=callgrind --callgrind-out-file="$tmp/casim.out" "$casim" logs "$file" --format ndjson > /dev/null 2> "$tmp/err" ||
  { cat "$tmp/err" >&2; echo "logs-vs-serde.sh: casim logs failed under callgrind" >&2; exit 1; }
valgrind --tool=callgrind --callgrind-out-file="$tmp/writer.out" "$writer" < "$tmp/records.ndjson" > /dev/null 2> "$tmp/err" ||
  { cat "$tmp/err" >&2; echo "logs-vs-serde.sh: ndjson_writer failed under callgrind" >&2; exit 1; }
casim_ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/casim.out")
# The first line naming write_record is its own file's, which includes the rest (see bench/instructions.sh).
writer_ir=$(callgrind_annotate --inclusive=yes --threshold=100 "$tmp/writer.out" 2> /dev/null |
  awk '$0 ~ /:[^ ]*::write_record( \[|$)/ { gsub(",", "", $1); print $1; exit }')
[ -n "$casim_ir" ] && [ -n "$writer_ir" ] || { echo "logs-vs-serde.sh: could not read the callgrind counts" >&2; exit 1; }
echo "instructions per record: casim logs $(awk -v a="$casim_ir" -v r="$records" 'BEGIN { printf "%.0f", a / r }'), writer $(awk -v a="$writer_ir" -v r="$records" 'BEGIN { printf "%.0f", a / r }'); casim logs / writer: $(awk -v a="$casim_ir" -v b="$writer_ir" 'BEGIN { printf "%.2f", a / b }')x (target <= 2)"
