"""Reads back what `mics-export convert --tables` wrote and checks it against the input records,
with Python's csv, json and gzip modules only (no code shared with the tool or its oracle).

    python3 tables_readback.py INPUT.ndjson SCHEMA.json

From the schema file: every table, its files (parts in order, gzip or not, CSV or NDJSON) and
its columns with their paths. Checks:
  - the root table has one row per record, `_row` = 1, 2, … in order;
  - every child row's parent keys are a row of its parent table, and each array's `_<seg>_idx`
    runs 0, 1, 2… under its parent row;
  - for every column not typed json: the non-null cells of the column, in key order, are the
    non-null leaf values the record holds at the column's path (SPEC 3's walk: arrays walked,
    missing keys give nothing), record by record;
  - each table's row count is the schema's `rows`.
Prints one line per table and exits 1 on the first mismatch.
"""
import csv, gzip, io, json, os, sys


class Number:
    def __init__(self, text): self.text = text
    def __eq__(self, other): return isinstance(other, Number) and other.text == self.text


def load_record(line):
    return json.loads(line, parse_int=Number, parse_float=Number)


def leaves(value, path, in_array=False):
    """SPEC 3's walk: the leaf values at a path, arrays walked through; with --tables an
    array directly inside an array is one value where the path ends (SPEC 10), else nothing."""
    if isinstance(value, list):
        if in_array:
            return [value] if not path else []
        return [v for item in value for v in leaves(item, path, True)]
    if not path:
        return [value]
    if isinstance(value, dict) and path[0] in value:
        return leaves(value[path[0]], path[1:])
    return []


def as_text(value):
    """A leaf value as the CSV cell's text (None for null)."""
    if value is None: return None
    if isinstance(value, Number): return value.text
    if value is True: return "true"
    if value is False: return "false"
    if isinstance(value, str): return value
    return ("json", json.dumps(value, default=lambda n: float(n.text), sort_keys=True))


def open_text(path):
    with open(path, "rb") as f:
        compressed = f.read(2) == b"\x1f\x8b"
    return io.TextIOWrapper(gzip.open(path) if compressed else open(path, "rb"), encoding="utf-8", newline="")


def read_table(folder, table):
    rows = []
    for name in table["files"]:
        path = os.path.join(folder, name)
        with open_text(path) as f:
            if ".ndjson" in name or ".jsonl" in name:
                for line in f:
                    obj = json.loads(line, parse_int=Number, parse_float=Number)
                    rows.append([obj[c["name"]] for c in table["columns"]])
            else:
                reader = csv.reader(f)
                header = next(reader)
                if header != [c["name"] for c in table["columns"]]:
                    sys.exit(f"{name}: header {header} is not the schema's columns")
                rows.extend(reader)
    return rows


def cell_text(cell):
    """A cell as text, None for null (CSV: the empty field; NDJSON: null)."""
    if cell is None or cell == "": return None
    if isinstance(cell, Number): return cell.text
    if cell is True: return "true"
    if cell is False: return "false"
    if isinstance(cell, (dict, list)): return ("json", json.dumps(cell, default=lambda n: float(n.text), sort_keys=True))
    if isinstance(cell, str) and cell[:1] in "{[":
        try:
            parsed = json.loads(cell, parse_int=Number, parse_float=Number)
            return ("json", json.dumps(parsed, default=lambda n: float(n.text), sort_keys=True))
        except ValueError:
            return cell
    return cell


def main():
    input_path, schema_path = sys.argv[1], sys.argv[2]
    folder = os.path.dirname(os.path.abspath(schema_path))
    with open(input_path, encoding="utf-8-sig") as f:
        records = [load_record(line) for line in f if line.strip()]
    schema = json.load(open(schema_path, encoding="utf-8"))
    tables = {t["name"]: t for t in schema["tables"]}
    keys_of, nkeys_of = {}, {}
    for table in schema["tables"]:
        rows = read_table(folder, table)
        name = table["name"]
        if len(rows) != table["rows"]:
            sys.exit(f"{name}: {len(rows)} rows, the schema says {table['rows']}")
        nkeys = sum(1 for c in table["columns"] if c["path"] is None)
        keys = [tuple(int(cell.text if isinstance(cell, Number) else cell) for cell in row[:nkeys]) for row in rows]
        if keys != sorted(keys) or len(set(keys)) != len(keys):
            sys.exit(f"{name}: keys are not unique and in order")
        keys_of[name] = set(keys)
        nkeys_of[name] = nkeys
        if nkeys == 1:
            if [k[0] for k in keys] != list(range(1, len(records) + 1)):
                sys.exit(f"{name}: _row is not 1…{len(records)}")
        else:
            # The parent: the longest table name before it that prefixes it, one key less.
            parents = [p for p in keys_of if name.startswith(p + "__") and nkeys_of[p] == nkeys - 1]
            if not parents:
                sys.exit(f"{name}: no parent table before it")
            parent = max(parents, key=len)
            last = {}
            for k in keys:
                if k[:-1] not in keys_of[parent]:
                    sys.exit(f"{name}: row {k} has no parent row in {parent}")
                if k[-1] != last.get(k[:-1], -1) + 1:
                    sys.exit(f"{name}: row {k}: index does not follow {last.get(k[:-1], -1)}")
                last[k[:-1]] = k[-1]
        checked = 0
        for index, column in enumerate(table["columns"]):
            if column["path"] is None or column["type"] == "json":
                continue
            path = column["path"].split(".")
            got = {}
            for k, row in zip(keys, rows):
                text = cell_text(row[index])
                if text is not None: got.setdefault(k[0], []).append(text)
            for number, record in enumerate(records, start=1):
                want = [t for t in map(as_text, leaves(record, path)) if t is not None and t != ""]
                if got.get(number, []) != want:
                    sys.exit(f"{name}.{column['name']} record {number}: tables hold {got.get(number, [])}, "
                             f"the record {want}")
            checked += 1
        print(f"ok {name}: {len(rows)} rows, {checked} columns checked against {len(records)} records")


main()
