#!/usr/bin/env python3
"""dlt peer for the `tables` case: normalize ndjson records into a root table and one child
table per nested list (dlt's own relational normalizer), loaded into a local DuckDB file.

    python3 bench/peers/dlt_tables.py INPUT OUTDIR [--columns id,emails.email,…] [--table users]

`--columns` keeps only those paths of each record (nested shape kept), so dlt builds the same
tables as `mics-export --tables` (users, users__emails, …); without it dlt normalizes every
field. No network: destination DuckDB at OUTDIR/dlt.duckdb, pipeline state in OUTDIR, telemetry
off. Prints each table's row count as JSON on stdout.
Needs `pip install "dlt[duckdb]"` (bench.py skips the dlt row when it is missing).
"""
import argparse
import json
import os
import shutil
import sys

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DLT_DATA_DIR", "/tmp/dlt-bench-data")


def trie_of(columns):
    root = {}
    for c in columns.split(","):
        node = root
        for key in c.rpartition("=")[2].split("."):
            node = node.setdefault(key, {})
    return root


def project(value, node):
    """The selected paths of value, nested shape kept (lists walked, as SPEC 3 walks them)."""
    if not node:
        return value
    if isinstance(value, list):
        return [project(x, node) for x in value]
    if isinstance(value, dict):
        return {k: project(value[k], sub) for k, sub in node.items() if k in value}
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("outdir")
    ap.add_argument("--columns")
    ap.add_argument("--table", default="users")
    a = ap.parse_args()
    import dlt  # after the environment is set

    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    trie = trie_of(a.columns) if a.columns else None

    def records():
        with open(a.input, "rb") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    yield project(r, trie) if trie else r

    extra = {"progress": "log"} if os.environ.get("DLT_PROGRESS") else {}
    pipeline = dlt.pipeline(pipeline_name="mics_bench", pipelines_dir=os.path.join(a.outdir, "pipelines"),
                            destination=dlt.destinations.duckdb(os.path.join(a.outdir, "dlt.duckdb")),
                            dataset_name="bench", **extra)
    pipeline.run(dlt.resource(records(), name=a.table, write_disposition="replace"))
    counts = {}
    with pipeline.sql_client() as client:
        for table in pipeline.default_schema.data_table_names():
            counts[table] = client.execute_sql("SELECT count(*) FROM %s" % client.make_qualified_table_name(table))[0][0]
    json.dump(counts, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
