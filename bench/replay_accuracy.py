"""Replay accuracy (issue 13, item 8): a generated population's logs, written
by `casim logs` under a baseline policy set, replayed under other sets with
`casim replay`, against `casim run` of the same population under the same
sets. A prompt matches when user and app are the same and the times are
within 5 minutes. Prints recall and precision per set and per persona.

    python3 bench/replay_accuracy.py CASIM POPULATION.yaml [json|ndjson] [BASELINE]

BASELINE is a policy file, or `none` for a tenant without Conditional Access;
without it the logs are written under SIF 12h.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime

SETS = {
    "base": "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n",
    "sif4h": "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n",
    "every-time-portal": "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n"
    "- { name: Every time portal, users: all, apps: [azure_portal], grant: mfa, session: { sign_in_frequency: every_time } }\n",
    "browser-2h-never": "- { name: Browser SIF 2h, users: all, apps: all, client_apps: [browser], session: { sign_in_frequency: 2h, persistent_browser: never } }\n",
    "sif1h": "- { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } }\n",
    "every-time-teams": "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n"
    "- { name: Every time Teams, users: all, apps: [teams], session: { sign_in_frequency: every_time } }\n",
    "portal-only": "- { name: Every time portal, users: all, apps: [azure_portal], grant: mfa, session: { sign_in_frequency: every_time } }\n",
    "sif12h": "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n",
}


def main():
    casim, population = sys.argv[1], sys.argv[2]
    fmt = sys.argv[3] if len(sys.argv) > 3 else "json"
    baseline = sys.argv[4] if len(sys.argv) > 4 else None
    tmp = tempfile.mkdtemp()
    paths = {}
    for name, text in SETS.items():
        paths[name] = os.path.join(tmp, name + ".yaml")
        with open(paths[name], "w") as f:
            f.write(text)

    def run(args):
        r = subprocess.run([casim] + args, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(r.stderr)
        return r.stdout

    logs = os.path.join(tmp, "logs." + fmt)
    with open(logs, "w") as f:
        f.write(run(["logs", population, "--policies", baseline or paths["base"], "--format", fmt]))
    for name in [n for n in SETS if n != "base"]:
        ran = json.loads(run(["run", population, "--policies", paths[name], "--format", "json"]))["prompts"]
        replayed = json.loads(run(["replay", logs, "--policies", paths[name], "--format", "json"]))["prompts"]
        p = [(x["user"], x["app"], stamp(x["at"])) for x in ran]
        q = [(x["user"].split("@")[0], x["app"], stamp(x["at"])) for x in replayed]
        found, per, total = matched(p, q)
        kept, per_q, total_q = matched(q, p)
        recall = found / len(p) if p else 1.0
        precision = kept / len(q) if q else 1.0
        print(f"{name}: run {len(p)} prompts, replay {len(q)}; recall {recall:.3f}, precision {precision:.3f}")
        for persona in sorted(set(total) | set(total_q)):
            r = per[persona] / total[persona] if total[persona] else 1.0
            pr = per_q[persona] / total_q[persona] if total_q[persona] else 1.0
            print(f"    {persona}: recall {r:.2f} ({total[persona]}), precision {pr:.2f} ({total_q[persona]})")


def stamp(at):
    return datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()


def matched(xs, ys):
    used, found = set(), 0
    per, total = collections.Counter(), collections.Counter()
    by_key = collections.defaultdict(list)
    for i, (user, app, at) in enumerate(ys):
        by_key[(user, app)].append((at, i))
    for user, app, at in xs:
        persona = user.rsplit("-", 1)[0]
        total[persona] += 1
        for other, i in by_key[(user, app)]:
            if i not in used and abs(other - at) <= 300:
                used.add(i)
                found += 1
                per[persona] += 1
                break
    return found, per, total


if __name__ == "__main__":
    main()
