#!/usr/bin/env python3
"""Peer: Python + orjson + csv, streaming line by line (one process, one thread).

    python3 bench/peers/orjson_csv.py IN OUT --columns id,emails.email,...

Follows SPEC.md section 3 as far as a short script does: the walk goes through arrays (nested
too), a missing key / null / scalar-in-the-way yields one null, array values are joined with
`|` (null as an empty segment; no values or only nulls give an empty cell). Gzip input is
detected by its magic bytes. Known differences from the spec: orjson parses numbers, so
`1.50` comes out as `1.5`, `1e5` as `100000.0` and integers beyond 64 bits as floats; the csv
module writes an empty string as an empty unquoted cell (NULL and "" are not distinguished).
"""
import csv
import gzip
import sys

import orjson

from declared import peer_arguments


def walk(v, keys, i, out):
    """Append the leaf values of path keys[i:] from v to out; return True if an array was crossed."""
    crossed = False
    n = len(keys)
    while True:
        if isinstance(v, list):
            for e in v:
                walk(e, keys, i, out)
            return True
        if i == n:
            out.append(v)
            return crossed
        if isinstance(v, dict):
            v = v.get(keys[i])
            i += 1
        else:
            out.append(None)
            return crossed


def cell(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return str(v)
    return orjson.dumps(v).decode()


def main():
    ap = peer_arguments(threads=False)
    a = ap.parse_args()
    cols = a.columns.split(",")
    paths = [tuple(c.split(".")) for c in cols]
    simple = [len(p) == 1 for p in paths]
    sep = a.sep

    with open(a.input, "rb") as f:
        magic = f.read(2)
    raw = gzip.open(a.input, "rb") if magic == b"\x1f\x8b" else open(a.input, "rb", buffering=1 << 20)
    out = open(a.output, "w", newline="", encoding="utf-8", buffering=1 << 20)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    loads = orjson.loads
    rows = []
    first = True
    for line in raw:
        if first:
            first = False
            if line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
        if not line.strip():
            continue
        rec = loads(line)
        row = []
        for p, s in zip(paths, simple):
            if s and isinstance(rec, dict):
                v = rec.get(p[0])
                if not isinstance(v, list):
                    row.append(cell(v))
                    continue
            vals = []
            if walk(rec, p, 0, vals):
                cells = [cell(x) for x in vals]
                if all(c is None for c in cells):
                    row.append(None)
                else:
                    row.append(sep.join("" if c is None else c for c in cells))
            else:
                row.append(cell(vals[0]))
        rows.append(row)
        if len(rows) >= 1000:
            w.writerows(rows)
            rows.clear()
    w.writerows(rows)
    out.close()
    raw.close()


if __name__ == "__main__":
    sys.exit(main())
