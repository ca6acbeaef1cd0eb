#!/usr/bin/env python3
"""Peer: DuckDB (Python package), one thread, columns declared in read_json.

    python3 bench/peers/duckdb_csv.py IN OUT --columns id,creation_ts,emails.email,... [--threads 1]

Columns are `key` (a top-level scalar, declared VARCHAR so that number text is kept) or
`array.field` (the array declared `STRUCT(field VARCHAR, ...)[]`, values joined with `|` by
list_transform + array_to_string, a null field as an empty segment, an empty or missing array
as NULL). Deeper paths are not supported by this script. An output name ending in .gz is
written gzip-compressed by DuckDB; a .gz input is read through DuckDB's gzip reader.
"""
import sys

import duckdb

from declared import declared_columns, peer_arguments


def q(name):
    return '"' + name.replace('"', '""') + '"'


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def build_sql(src, dst, cols, sep):
    decl = declared_columns(cols, "duckdb_csv.py")  # top-level key -> None (scalar) or list of struct fields
    columns = ", ".join(
        "%s: %s" % (lit(k), lit("VARCHAR" if f is None else
                                "STRUCT(%s)[]" % ", ".join("%s VARCHAR" % q(x) for x in f)))
        for k, f in decl.items())
    sel = []
    for c in cols:
        parts = c.split(".")
        if len(parts) == 1:
            sel.append("%s AS %s" % (q(parts[0]), q(c)))
        else:
            sel.append("nullif(array_to_string(list_transform(%s, lambda x: coalesce(x.%s, '')), %s), '') AS %s"
                       % (q(parts[0]), q(parts[1]), lit(sep), q(c)))
    opts = "HEADER, DELIMITER ','"
    if dst.endswith(".gz"):
        opts += ", COMPRESSION 'gzip'"
    return ("COPY (SELECT %s FROM read_json(%s, format='newline_delimited', columns={%s})) TO %s (%s)"
            % (", ".join(sel), lit(src), columns, lit(dst), opts))


def main():
    ap = peer_arguments()
    ap.add_argument("--print-sql", action="store_true")
    a = ap.parse_args()
    sql = build_sql(a.input, a.output, a.columns.split(","), a.sep)
    if a.print_sql:
        print(sql)
        return 0
    con = duckdb.connect()
    con.execute("SET threads=%d" % a.threads)
    con.execute("SET preserve_insertion_order=true")
    con.execute(sql)
    return 0


if __name__ == "__main__":
    sys.exit(main())
