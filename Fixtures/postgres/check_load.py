#!/usr/bin/env python3
"""Oracle for the PostgreSQL load tests: the loaded table equals the input records.

    python3 Fixtures/postgres/check_load.py INPUT.ndjson TABLE.json COLUMNS

INPUT.ndjson is read with Python's json module (numbers as Decimal, so 1.50 stays 1.50);
TABLE.json is `SELECT json_agg(t ORDER BY _ord) FROM (...) t` as psql prints it; COLUMNS is
the comma list of top-level keys loaded. Arrays of scalars are expected joined with '|'
(none or only nulls: NULL), objects as JSON, timestamps compared as instants. Prints the
first difference and exits 1, or prints "ok N".

    python3 Fixtures/postgres/check_load.py --text INPUT.ndjson TABLE.json COLUMNS

compares texts instead: numbers are kept as their tokens (parse_int and parse_float return
the text), so `1.50`, `-7` and `9223372036854775808` are compared as written, and TABLE.json
holds one array of `col::text` values per row, in input order (scalar columns only; true and
false are `true`/`false`).
"""
import datetime
import decimal
import json
import sys


def expected_cell(value):
    if isinstance(value, list):
        parts = [None if v is None else cell_text(v) for v in value]
        if all(p is None for p in parts):
            return None
        return "|".join("" if p is None else p for p in parts)
    return value


def cell_text(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def same(want, got):
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, str) and isinstance(got, str) and len(want) >= 20 and want[4] == "-" and "T" in want:
        try:
            a = datetime.datetime.fromisoformat(want.replace("Z", "+00:00"))
            b = datetime.datetime.fromisoformat(got)
            return a == b
        except ValueError:
            pass
    if isinstance(want, decimal.Decimal) and isinstance(got, decimal.Decimal):
        return str(want) == str(got)
    return want == got


def token_text(value):
    if value is True or value is False:
        return cell_text(value)
    if value is None or isinstance(value, str):
        return value
    raise SystemExit("not a scalar: %r" % (value,))


def main():
    text = sys.argv[1] == "--text"
    args = sys.argv[2:] if text else sys.argv[1:]
    keep = lambda token: token
    read = (lambda l: json.loads(l, parse_int=keep, parse_float=keep)) if text else (
        lambda l: json.loads(l, parse_float=decimal.Decimal))
    records = [read(l) for l in open(args[0], encoding="utf-8") if l.strip()]
    rows = json.load(open(args[1], encoding="utf-8"), parse_float=decimal.Decimal) or []
    columns = args[2].split(",")
    if len(rows) != len(records):
        print(f"{len(rows)} rows for {len(records)} records")
        return 1
    for i, (record, row) in enumerate(zip(records, rows)):
        for n, c in enumerate(columns):
            if text:
                want, got = token_text(record.get(c)), row[n]
                if want != got:
                    print(f"record {i + 1}, column {c}: want {want!r}, got {got!r}")
                    return 1
                continue
            want = expected_cell(record.get(c))
            got = row.get(c)
            if isinstance(want, int) and not isinstance(want, bool) and isinstance(got, int):
                pass
            if not same(want, got):
                print(f"record {i + 1}, column {c}: want {want!r}, got {got!r}")
                return 1
    print(f"ok {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
