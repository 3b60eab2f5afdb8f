#!/bin/sh
# Size and first paint of `casim report` at scale (issue 15 item 4): a
# generated population of USERS users over DAYS days, reported alone and as a
# diff (no policy against a 4-hour sign-in frequency for everyone), each page
# loaded RUNS times in headless Chromium by bench/first-paint.mjs.
#   bench/report-size.sh [USERS [DAYS [RUNS]]]       (default 1000 30 3)
#   CASIM=/path/to/casim bench/report-size.sh         (default target/release/casim)
# Prints, per page: bytes, then one line per load: first-contentful-paint,
# load event end, and the time to draw one closed user's section when opened.
set -eu
users=${1:-1000} days=${2:-30} runs=${3:-3}
casim=${CASIM:-target/release/casim}
here=$(dirname "$0")
[ -x "$casim" ] || { echo "report-size.sh: no casim at $casim (cargo build --release, or set CASIM)" >&2; exit 2; }
command -v node > /dev/null || { echo "report-size.sh: needs node (20 or later) for bench/first-paint.mjs" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$casim" generate --users "$users" --days "$days" --seed 7 -o "$dir/p.yaml" 2> /dev/null
printf -- '- { name: SIF 4 hours, users: all, apps: all, session: { sign_in_frequency: 4h } }\n' > "$dir/proposed.yaml"
"$casim" report "$dir/p.yaml" -o "$dir/run.html" 2> /dev/null
"$casim" report "$dir/p.yaml" --baseline none --proposed "$dir/proposed.yaml" -o "$dir/diff.html" 2> /dev/null
for page in run diff; do
  echo "$page: $(wc -c < "$dir/$page.html") bytes ($users users x $days days)"
  node --no-warnings --experimental-websocket "$here/first-paint.mjs" "$dir/$page.html" "$runs"
done
