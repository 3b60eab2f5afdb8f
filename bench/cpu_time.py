#!/usr/bin/env python3
"""Runs a command and writes its CPU time (user + system, seconds, from
getrusage to the microsecond) to OUT as `cpu SECONDS`; the command's output
and exit status pass through. /usr/bin/time rounds to hundredths of a second,
as large as a whole 1,000-user casim run (bench/vs-simpy.sh).

    python3 bench/cpu_time.py OUT COMMAND [ARGS...]
"""

import resource
import subprocess
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: cpu_time.py OUT COMMAND [ARGS...]")
    status = subprocess.run(argv[2:]).returncode
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(argv[1], "w") as out:
        out.write(f"cpu {usage.ru_utime + usage.ru_stime:.6f}\n")
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv)
