#!/usr/bin/env python3
"""Runs a command and writes its CPU time (user + system, seconds, from
wait4's rusage of that one child, to the microsecond) to OUT as
`cpu SECONDS`; the command's output and exit status pass through.
/usr/bin/time rounds to hundredths of a second, as large as a whole
1,000-user casim run (bench/vs-simpy.sh). getrusage(RUSAGE_CHILDREN) is not
used: it also counts the children of whatever ran before in this process,
kept across exec, so an interpreter started through a wrapper that runs
commands first (this machine's `python3`: 0.07-0.09 s) made every run look
that much dearer. vs-simpy.sh's venv interpreter starts clean; a `python3`
given by hand did not.

    python3 bench/cpu_time.py OUT COMMAND [ARGS...]
"""

import os
import subprocess
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: cpu_time.py OUT COMMAND [ARGS...]")
    child = subprocess.Popen(argv[2:])
    _, status, usage = os.wait4(child.pid, 0)
    # Popen must not wait for a child already reaped.
    child.returncode = os.waitstatus_to_exitcode(status)
    with open(argv[1], "w") as out:
        out.write(f"cpu {usage.ru_utime + usage.ru_stime:.6f}\n")
    sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)


if __name__ == "__main__":
    main(sys.argv)
