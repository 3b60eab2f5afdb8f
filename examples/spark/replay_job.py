"""Replay a tenant's sign-in logs under a baseline and a proposed policy set on
Spark, one shard of users per partition, and merge the shards' partial results
into the summary one `casim replay` process would print (issue 14; docs/scale.md).

    spark-submit examples/spark/replay_job.py --logs 'abfss://…/signins/*.ndjson' \
        --baseline current.json --proposed proposed.yaml --partitions 32 --casim /opt/casim/casim

Input: NDJSON sign-in records (Log Analytics rows or Graph signIn objects, one
per line, as `casim logs --format ndjson` writes or a Log Analytics export
gives), read as text so every record reaches casim unchanged. Each record goes
to the partition of its user's casim shard (FNV-1a-64 of the object id, else
the UPN, lower case, mod N; docs/scale.md), each partition is sorted by (user,
time) and piped through `casim replay --stdin --shard K/N --start DAY --format
partial`, and the driver merges the N partial results with `casim merge`.
The casim binary and the policy files must be readable on every executor
(same path, e.g. shipped with --files or on a shared mount).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from pyspark.sql import SparkSession

MASK = 0xFFFFFFFFFFFFFFFF


def casim_shard(user_id, n):
    """casim's shard (1..n) of a user id: FNV-1a-64 of its bytes in ASCII lower case."""
    h = 0xCBF29CE484222325
    for b in user_id.encode():
        if 0x41 <= b <= 0x5A:
            b += 0x20
        h = ((h ^ b) * 0x100000001B3) & MASK
    return h % n + 1


def field(record, *names):
    """The first of `names` in the record, keys matched case-insensitively."""
    lowered = {k.lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, ""):
            return value
    return None


def is_guid(text):
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdefABCDEF" for p in parts for c in p
    )


def user_key(record):
    """The id casim shards a user by: the object id when it is one, else the UPN."""
    object_id = field(record, "userId")
    if isinstance(object_id, str) and is_guid(object_id):
        return object_id.lower()
    upn = field(record, "userPrincipalName")
    return str(upn or object_id or "").lower()


def keyed(line, n):
    """(shard index from 0, (user, time, line)) of one NDJSON line; None for a blank one."""
    if not line.strip():
        return None
    record = json.loads(line)
    key = user_key(record)
    at = str(field(record, "createdDateTime", "TimeGenerated") or "")
    return (casim_shard(key, n) - 1, (key, at, line))


def replay_partition(index, rows, args, start):
    """One partition through casim: its records sorted by (user, time), its partial result out."""
    lines = [line for _, (_, _, line) in sorted(rows, key=lambda r: (r[1][0], r[1][1]))]
    command = [
        args.casim, "replay", "--stdin",
        "--baseline", args.baseline, "--proposed", args.proposed,
        "--shard", f"{index + 1}/{args.partitions}", "--start", start, "--format", "partial",
    ]
    done = subprocess.run(command, input="\n".join(lines).encode() + b"\n", capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"casim failed on shard {index + 1}: {done.stderr.decode(errors='replace')}")
    yield (index, done.stdout)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--logs", required=True, help="NDJSON sign-in records: a path or glob Spark reads")
    p.add_argument("--baseline", required=True)
    p.add_argument("--proposed", required=True)
    p.add_argument("--partitions", type=int, default=8, help="shards: one casim process each")
    p.add_argument("--casim", default="casim", help="the casim binary on every executor")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--master", default=None, help="e.g. local[4]; default: spark-submit's")
    args = p.parse_args(argv)
    for name in ("baseline", "proposed"):
        setattr(args, name, os.path.abspath(getattr(args, name)) if os.path.exists(getattr(args, name)) else getattr(args, name))

    builder = SparkSession.builder.appName("casim replay")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    n = args.partitions
    lines = spark.read.text(args.logs).rdd.map(lambda row: row.value)
    rows = lines.map(lambda line: keyed(line, n)).filter(lambda r: r is not None).cache()
    # Times are shown from the logs' first day, which every shard must be told (--start).
    first = rows.map(lambda r: r[1][1]).filter(lambda t: t).min()
    start = first[:10]
    partials = (
        rows.partitionBy(n, lambda shard: shard)
        .mapPartitionsWithIndex(lambda i, it: replay_partition(i, it, args, start))
        .collect()
    )
    spark.stop()

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for index, text in sorted(partials):
            path = os.path.join(tmp, f"shard-{index + 1}.partial")
            with open(path, "wb") as f:
                f.write(text)
            files.append(path)
        merged = subprocess.run([args.casim, "merge", *files, "--format", args.format], capture_output=True)
        sys.stderr.write(merged.stderr.decode(errors="replace"))
        sys.stdout.buffer.write(merged.stdout)
        return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
