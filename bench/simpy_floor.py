#!/usr/bin/env python3
"""SimPy's bare event loop: the yardstick of issue 11's "10x SimPy" target.

PROCESSES processes each run an empty loop of `yield env.timeout(delay)` until
EVENTS timeouts have been processed in all (each process does EVENTS /
PROCESSES of them, the remainder going to the first ones), so the simulation
handles as many timeout events as casim handled engine events for the same
workload. Nothing else happens per event: this is the fastest a SimPy model
of the same number of events could be. Prints the events, the CPU time of
`env.run()` (time.process_time, one core) and events per CPU-second.

    python3 bench/simpy_floor.py EVENTS [PROCESSES]
"""

import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("simpy_floor.py: simpy is not installed: `pip install simpy` (bench/vs-simpy.sh installs it into a venv)")


def user(env, timeouts, delay):
    # The empty loop: one timeout event per iteration and nothing else.
    for _ in range(timeouts):
        yield env.timeout(delay)


def main(argv):
    usage = "usage: simpy_floor.py EVENTS [PROCESSES]   (whole numbers, EVENTS >= PROCESSES >= 1; PROCESSES defaults to 1000)"
    if len(argv) not in (2, 3) or not all(a.isdigit() for a in argv[1:]):
        sys.exit(usage)
    events = int(argv[1])
    processes = int(argv[2]) if len(argv) == 3 else 1000
    if processes < 1 or events < processes:
        sys.exit(usage)
    env = simpy.Environment()
    for p in range(processes):
        timeouts = events // processes + (1 if p < events % processes else 0)
        # Delays differ between processes so the queue interleaves them, as
        # casim's users' events do; constant per process to keep the loop empty.
        env.process(user(env, timeouts, 1 + p % 97))
    started = time.process_time()
    env.run()
    cpu = time.process_time() - started
    print(f"simpy {simpy.__version__}: {events} timeout events, {processes} processes, "
          f"{cpu:.3f} s CPU, {events / cpu:.0f} events per CPU-second")


if __name__ == "__main__":
    main(sys.argv)
