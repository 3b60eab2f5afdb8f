#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (not committed) with the project's own inputs:
# the example scenarios, the personas, the Graph export fixtures and the
# `--fail-if` expressions of the docs. libFuzzer mutates from there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/scenario fuzz/corpus/graph fuzz/corpus/expr fuzz/corpus/personas fuzz/corpus/signin_logs
cp scenarios/*.yaml fuzz/corpus/scenario/
for f in personas/*.yaml; do
  # A population scenario per persona file, so the persona loader is reached.
  name=$(basename "$f" .yaml)
  printf 'name: p\npopulation: { personas: { %s: 2 }, days: 3 }\n' "$name" > "fuzz/corpus/scenario/population-$name.yaml"
done
for f in personas/*.yaml; do
  # A persona file is a list: the built-in file as its one item.
  grep -v '^#' "$f" | sed -e 's/^/  /' -e '1s/^  /- /' > "fuzz/corpus/personas/$(basename "$f")"
done
find tests/fixtures/graph scenarios/graph -type f -name '*.json' | while read -r f; do
  cp "$f" "fuzz/corpus/graph/$(echo "$f" | tr '/' '_')"
done
# Sign-in logs of a few scenarios in every shape `casim logs` writes (needs a casim binary).
casim=${CASIM:-target/release/casim}
if [ -x "$casim" ]; then
  for f in scenarios/example-1-continuous-work.yaml scenarios/work-week.yaml; do
    for format in json ndjson diagnostic; do
      "$casim" logs "$f" --format "$format" > "fuzz/corpus/signin_logs/$(basename "$f" .yaml).$format" || true
    done
    "$casim" logs "$f" --format parquet -o "fuzz/corpus/signin_logs/$(basename "$f" .yaml).parquet" || true
  done
fi
n=0
while IFS= read -r e; do
  n=$((n + 1))
  printf '%s' "$e" > "fuzz/corpus/expr/doc-$n"
done <<'EXPRESSIONS'
prompts_per_user_day.p95 > 3
prompts_per_user_day.p95 > 3 or users_newly_blocked > 0
users_newly_blocked > 0 or max_prompts_in_hour >= 4
proposed.prompts > 1.1 * baseline.prompts
changes.prompts_per_user_day.median > 0
prompts_by_reason.every_time > 2 * baseline.prompts_by_reason.every_time + 5
not (a / 0 == -b) and (c - -1.5e3 != 2)
EXPRESSIONS
echo "seeded: $(ls fuzz/corpus/scenario | wc -l) scenarios, $(ls fuzz/corpus/graph | wc -l) exports, $n expressions"
