"""Replay a tenant's sign-in logs under a baseline and a proposed policy set on
Spark, one shard of users per partition, and merge the shards' partial results
into the summary one `casim replay` process would print (issue 14; docs/scale.md).

    spark-submit examples/spark/replay_job.py --logs 'abfss://…/signins/*.ndjson' \
        --baseline current.json --proposed proposed.yaml --partitions 32 --casim /opt/casim/casim
    spark-submit examples/spark/replay_job.py --logs 'abfss://…/signins/' --input-format parquet \
        --baseline current.json --proposed proposed.yaml --partitions 32 --casim /opt/casim/casim

Input (--input-format): NDJSON sign-in records (Log Analytics rows or Graph
signIn objects, one per line, as `casim logs --format ndjson` writes or a Log
Analytics export gives), read as text so every record reaches casim unchanged;
or Parquet (Log Analytics columns, as `casim logs --format parquet` and a Log
Analytics, Azure Data Explorer or Spark export write them), read with
spark.read.parquet and turned row by row into the JSON object casim's own
Parquet reader makes of the row (docs/replay.md), so a Parquet file replays to
the same bytes as its NDJSON twin. `auto` (the default) takes a path or glob
ending in `.parquet` as Parquet and anything else as NDJSON: a folder of
Parquet part files (what Spark writes) needs `--input-format parquet`.

Each record goes to the partition of its user's casim shard (FNV-1a-64 of the
object id, else the UPN, lower case, mod N; docs/scale.md), each partition is
sorted by (user, input order) and piped through `casim replay --stdin --shard K/N
--start DAY --format partial`, and the driver merges the N partial results
with `casim merge`.
The casim binary and the policy files must be readable on every executor
(same path, e.g. shipped with --files or on a shared mount).
"""
import argparse
import datetime
import json
import math
import os
import re
import subprocess
import sys
import tempfile

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType, BinaryType, DateType, DecimalType, DoubleType, FloatType, MapType, StructType,
    TimestampNTZType, TimestampType,
)

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


def keyed(line, index, n):
    """(shard index from 0, (user, index, time, line)) of the NDJSON line at `index` in the
    input; None for a blank one."""
    if not line.strip():
        return None
    if line.startswith("PAR1"):
        raise ValueError("the logs are Parquet, read as NDJSON: give --input-format parquet")
    return keyed_record(json.loads(line), line, index, n)


def keyed_record(record, line, index, n):
    """(shard index from 0, (user, index, time, line)) of a record, its JSON line and its
    place in the input. A partition is sorted by (user, index): casim orders each user's
    records by time itself, keeping the input's order between records of one second, so
    the input's order (not Spark's shuffle order) is what keeps ties as one process sees them."""
    key = user_key(record)
    at = str(field(record, "createdDateTime", "TimeGenerated") or "")
    return (casim_shard(key, n) - 1, (key, index, at, line))


def utc_day(text):
    """The UTC date (YYYY-MM-DD) of a record's time, whatever offset the text carries
    (`2026-01-05T01:00:00+02:00` is the 4th in UTC); None when it is not a time."""
    text = text.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    # Log Analytics writes 7 fractional digits; Python reads at most 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        at = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if at.tzinfo is not None:
        at = at.astimezone(datetime.timezone.utc)
    return at.date().isoformat()


EPOCH = datetime.datetime(1970, 1, 1)


def rfc3339(micros):
    """Microseconds since the epoch as casim's Parquet reader writes a timestamp (chrono's
    RFC 3339, UTC, `Z`, fractions only when there are some: 3 digits, else 6)."""
    seconds, fraction = divmod(micros, 1_000_000)
    try:
        text = (EPOCH + datetime.timedelta(seconds=seconds)).isoformat(timespec="seconds")
    except OverflowError:
        return None  # beyond year 9999: nothing a sign-in holds
    if fraction and fraction % 1000 == 0:
        text += f".{fraction // 1000:03d}"
    elif fraction:
        text += f".{fraction:06d}"
    return text + "Z"


def plain(value, kind):
    """A Spark value of type `kind` as casim's Parquet reader gives the cell in JSON
    (src/signin/replay/parquet_file.rs): structs and maps as objects, arrays as arrays,
    binary as its UTF-8 text, dates as YYYY-MM-DD, times as rfc3339 above; what that
    reader keeps as null (decimals, non-finite reals, binary that is not UTF-8) is null."""
    if value is None:
        return None
    if isinstance(kind, StructType):
        return {f.name: plain(v, f.dataType) for f, v in zip(kind.fields, value)}
    if isinstance(kind, ArrayType):
        return [plain(v, kind.elementType) for v in value]
    if isinstance(kind, MapType):
        return {map_key(plain(k, kind.keyType)): plain(v, kind.valueType) for k, v in value.items()}
    if isinstance(kind, TimestampNTZType):
        # A Parquet TIMESTAMP not adjusted to UTC, which casim reads as UTC: PySpark gives it
        # as a naive datetime of that wall time.
        return rfc3339((value - EPOCH) // datetime.timedelta(microseconds=1))
    if isinstance(kind, TimestampType):
        # Only nested ones get here (top-level columns come as microseconds: parquet_lines).
        # PySpark gives them as naive datetimes in the executor's local time, which is exact
        # except in the hour a clock is set back; no column casim reads is one.
        utc = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return rfc3339((utc - EPOCH) // datetime.timedelta(microseconds=1))
    if isinstance(kind, DateType):
        return value.isoformat()
    if isinstance(kind, BinaryType):
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            return None
    if isinstance(kind, DecimalType):
        return None
    if isinstance(kind, (FloatType, DoubleType)) and not math.isfinite(value):
        return None
    return value


def map_key(key):
    return key if isinstance(key, str) else json.dumps(key)


def parquet_lines(spark, path, n):
    """The keyed records of Parquet sign-in logs: each row as the JSON object casim's own
    Parquet reader makes of it, its null cells left out as an NDJSON row leaves them out."""
    df = spark.read.parquet(path)
    # Timestamp columns (TIMESTAMP adjusted to UTC, or Kusto's INT96) would reach Python as
    # naive datetimes in the executor's local time (pyspark's TimestampType.fromInternal),
    # ambiguous in the hour a clock is set back and shifted from the UTC text casim reads:
    # taken as microseconds since the epoch (unix_micros) they stay the exact instant.
    times = {f.name for f in df.schema.fields if isinstance(f.dataType, TimestampType)}
    df = df.select(*[
        F.unix_micros(F.col(quoted(c))).alias(c) if c in times else F.col(quoted(c)) for c in df.columns
    ])
    fields = df.schema.fields

    def keyed_row(row, index):
        record = {
            f.name: rfc3339(value) if f.name in times else plain(value, f.dataType)
            for f, value in zip(fields, row)
            if value is not None
        }
        return keyed_record(record, json.dumps(record, separators=(",", ":")), index, n)

    return df.rdd.zipWithIndex().map(lambda pair: keyed_row(*pair))


def quoted(column):
    """A column name as Spark SQL takes it literally (a name with a dot is not a struct field)."""
    return "`" + column.replace("`", "``") + "`"


def input_format(args):
    """The format of --logs: as given, or Parquet for a path or glob ending in .parquet."""
    if args.input_format != "auto":
        return args.input_format
    return "parquet" if args.logs.rstrip("/").lower().endswith(".parquet") else "ndjson"


def replay_partition(index, rows, args, start):
    """One partition through casim: its records sorted by (user, input order), its partial result out."""
    lines = [line for _, (_, _, _, line) in sorted(rows, key=lambda r: (r[1][0], r[1][1]))]
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
    p.add_argument("--logs", required=True, help="sign-in records: a path, folder or glob Spark reads")
    p.add_argument(
        "--input-format", choices=["auto", "ndjson", "parquet"], default="auto",
        help="the logs' format; auto: Parquet when --logs ends in .parquet, else NDJSON",
    )
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
    if input_format(args) == "parquet":
        rows = parquet_lines(spark, args.logs, n).cache()
    else:
        lines = spark.read.text(args.logs).rdd.map(lambda row: row.value)
        rows = lines.zipWithIndex().map(lambda pair: keyed(*pair, n)).filter(lambda r: r is not None).cache()
    # Times are shown from the logs' first UTC day, which every shard must be told (--start).
    start = rows.map(lambda r: utc_day(r[1][2])).filter(lambda d: d).min()
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
