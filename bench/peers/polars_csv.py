#!/usr/bin/env python3
"""Peer: polars (Python package), lazy scan_ndjson with a declared schema, sink_csv.

    python3 bench/peers/polars_csv.py IN OUT --columns id,creation_ts,emails.email,... [--threads 2]

The same column rules as duckdb_csv.py: `key` (a top-level scalar, declared String so that
number text is kept) or `array.field` (the array declared List(Struct(field: String, ...)),
values joined with `|`, a null field as an empty segment, an empty or missing array as an
empty cell). --threads sets POLARS_MAX_THREADS before polars is imported (it cannot change
later). A .gz input is read through Python's gzip module (polars' own gzip reading loads the
whole file into memory); a .gz output is written by polars then compressed by gzip -6.
"""
import os
import subprocess
import sys

from declared import declared_columns, peer_arguments


def main():
    ap = peer_arguments()
    a = ap.parse_args()
    os.environ["POLARS_MAX_THREADS"] = str(a.threads)
    import polars as pl

    cols = a.columns.split(",")
    decl = declared_columns(cols, "polars_csv.py")  # top-level key -> None (scalar) or list of struct fields
    schema = {k: pl.String if f is None else pl.List(pl.Struct({x: pl.String for x in f}))
              for k, f in decl.items()}
    sel = []
    for c in cols:
        parts = c.split(".")
        if len(parts) == 1:
            sel.append(pl.col(parts[0]).alias(c))
        else:
            joined = (pl.col(parts[0])
                      .list.eval(pl.element().struct.field(parts[1]).fill_null(""))
                      .list.join(a.sep))
            sel.append(pl.when(joined == "").then(None).otherwise(joined).alias(c))
    source = a.input
    if source.endswith(".gz"):
        import gzip
        source = gzip.open(a.input, "rb")
    frame = pl.scan_ndjson(source, schema=schema) if isinstance(source, str) else pl.read_ndjson(source, schema=schema).lazy()
    out = a.output[:-3] if a.output.endswith(".gz") else a.output
    frame.select(sel).sink_csv(out)
    if a.output.endswith(".gz"):
        subprocess.run(["gzip", "-6", "-f", out], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
