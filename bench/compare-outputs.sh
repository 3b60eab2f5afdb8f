#!/bin/sh
# Byte-identity check for refactors: runs every output command of two casim
# binaries over the bundled scenarios, a generated 200-user file and a
# 300-user population of all six personas, and diffs the results. Exit 0 when
# every output is the same, 1 when any differs (the differing files are
# listed), 2 on bad usage. Builds nothing:
#   cp target/debug/casim /tmp/casim-before   # before the change
#   cargo build && bench/compare-outputs.sh /tmp/casim-before target/debug/casim
set -eu
usage="usage: bench/compare-outputs.sh OLD_CASIM NEW_CASIM"
[ "$#" -eq 2 ] || { echo "$usage" >&2; exit 2; }
for b in "$1" "$2"; do
  [ -x "$b" ] || { echo "compare-outputs.sh: $b is not an executable casim" >&2; exit 2; }
done
# Absolute paths: the snapshot step runs in another folder.
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inputs both binaries read: written once, by the first binary.
"$old" generate --users 200 --days 5 --seed 3 -o "$work/gen200.yaml" > /dev/null
cat > "$work/pop300.yaml" <<'YAML'
name: mixed 300
seed: 5
population: { personas: { office_worker: 50, hybrid_worker: 50, mobile_user: 50, administrator: 50, frontline_worker: 50, guest: 50 }, days: 10 }
policies:
  - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }
  - { name: MFA, users: all, apps: all, grant: mfa }
YAML
cat > "$work/proposed.yaml" <<'YAML'
- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }
- { name: MFA, users: all, apps: all, grant: mfa }
YAML

outputs() {
  b=$1 out=$2
  mkdir -p "$out"
  cd "$root"
  # Exit statuses are part of the output: a failing command must fail alike.
  for f in scenarios/*.yaml; do
    n=$(basename "$f" .yaml)
    { "$b" run "$f"; echo "rc=$?"; } > "$out/$n.run.txt" 2>&1 || true
    { "$b" run "$f" --format json; echo "rc=$?"; } > "$out/$n.run.json" 2>&1 || true
    { "$b" run "$f" --trace; echo "rc=$?"; } > "$out/$n.trace.txt" 2>&1 || true
    { "$b" logs "$f"; echo "rc=$?"; } > "$out/$n.logs.txt" 2>&1 || true
    "$b" report "$f" -o "$out/$n.html" > /dev/null 2>&1 || true
    { "$b" diff "$f" --baseline none --proposed "$work/proposed.yaml"; echo "rc=$?"; } > "$out/$n.diff.txt" 2>&1 || true
  done
  { "$b" run scenarios/; echo "rc=$?"; } > "$out/all.txt" 2>&1 || true
  { "$b" run scenarios/ --format json; echo "rc=$?"; } > "$out/all.json" 2>&1 || true
  { "$b" check scenarios/; echo "rc=$?"; } > "$out/check.txt" 2>&1 || true
  for f in gen200 pop300; do
    { "$b" run "$work/$f.yaml"; echo "rc=$?"; } > "$out/$f.txt" 2>&1 || true
    { "$b" run "$work/$f.yaml" --format json; echo "rc=$?"; } > "$out/$f.json" 2>&1 || true
    { "$b" diff "$work/$f.yaml" --baseline none --proposed "$work/proposed.yaml"; echo "rc=$?"; } > "$out/$f.diff" 2>&1 || true
    { "$b" diff "$work/$f.yaml" --baseline "$work/proposed.yaml" --proposed none --format json; echo "rc=$?"; } > "$out/$f.diff.json" 2>&1 || true
    "$b" report "$work/$f.yaml" --baseline none --proposed "$work/proposed.yaml" -o "$out/$f.diff.html" > /dev/null 2>&1 || true
  done
  # Snapshots of a copy of the scenarios and the two larger inputs.
  cp -r scenarios "$out/snap"
  cp "$work/gen200.yaml" "$work/pop300.yaml" "$out/snap/"
  (cd "$out/snap" && "$b" snapshot . --update > /dev/null 2>&1) || true
  rm -f "$out/snap/"*.yaml
}

outputs "$old" "$work/old"
outputs "$new" "$work/new"
if diff -rq "$work/old" "$work/new"; then
  echo "compare-outputs.sh: every output is byte-identical"
else
  echo "compare-outputs.sh: the outputs above differ" >&2
  exit 1
fi
