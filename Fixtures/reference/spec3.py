"""An independent reference for SPEC 3 and 4 (CSV and flat NDJSON cells), in plain Python.

It writes Fixtures/values/generated-*/: random ragged records (nested objects and arrays,
escapes, exact number text, nulls, missing keys, type changes, white space), random column
paths, and the rows SPEC 3 gives for them. GoldenTests runs the built tool on each folder.
Values are generated as tokens that know their JSON text, so the expected cells never come
from the tool. Run: python3 Fixtures/reference/spec3.py  (deterministic).
"""
import json, os, random

class Str:
    def __init__(self, value, text): self.value, self.text = value, text
class Num:
    def __init__(self, text): self.text = text
class Obj:
    def __init__(self, members): self.members = members  # [(Str key, value)], keys distinct
class Arr:
    def __init__(self, items): self.items = items

STRINGS = [("plain", '"plain"'), ("", '""'), ('a"b', r'"a\"b"'), ("tab\there", r'"tab\there"'),
           ("é", r'"\u00e9"'), ("é", '"é"'), ("😀", r'"\ud83d\ude00"'), ("a,b;c|d", '"a,b;c|d"'),
           ("line\nbreak\r\n", r'"line\nbreak\r\n"'), ("/", r'"\/"'), ("back\\slash", r'"back\\slash"'),
           ("=1+2", '"=1+2"'), (" spaced ", '" spaced "'), ("null", '"null"'), ("中文", '"中文"'),
           ("a rather long plain ascii string, past eight bytes", '"a rather long plain ascii string, past eight bytes"')]
NUMBERS = ["0", "-0", "12", "1.50", "1e5", "1E+5", "-3.25e-7", "12345678901234567890123", "9007199254740993", "0.0"]
KEYS = [("a", '"a"'), ("b", '"b"'), ("c", '"c"'), ("id", '"id"'), ("é", '"é"'), ("ke", r'"k\u0065"'), ("x y", '"x y"')]

def text(v, ws):
    if isinstance(v, Str): return v.text
    if isinstance(v, Num): return v.text
    if v is True: return "true"
    if v is False: return "false"
    if v is None: return "null"
    if isinstance(v, Arr): return "[" + ws() + (ws() + "," + ws()).join(text(x, ws) for x in v.items) + ws() + "]"
    return "{" + ws() + (ws() + "," + ws()).join(k.text + ws() + ":" + ws() + text(x, ws) for k, x in v.members) + ws() + "}"

def compact(v): return text(v, lambda: "")

def walk(v, path, out, crossed):
    if isinstance(v, Arr):
        crossed[0] = True
        for x in v.items: walk(x, path, out, crossed)
    elif not path:
        out.append(v)
    elif isinstance(v, Obj):
        found = [x for k, x in v.members if k.value == path[0]]
        if found: walk(found[-1], path[1:], out, crossed)
        else: out.append(None)
    else:
        out.append(None)

def plain(v):  # the text of a CSV cell or a join segment
    if isinstance(v, Str): return v.value
    if v is None: return ""
    return compact(v)

def csv_field(s, is_string, delim):
    if (is_string and s == "") or any(c in s for c in (delim, '"', "\r", "\n")):
        return '"' + s.replace('"', '""') + '"'
    return s

def csv_cell(values, crossed, mode, sep, null, delim):
    if not crossed or mode == "first":
        v = values[0] if values else None
        return null if v is None else csv_field(plain(v), isinstance(v, Str), delim)
    if mode == "json":
        return csv_field("[" + ",".join(compact(v) for v in values) + "]", False, delim)
    if all(v is None for v in values): return null
    return csv_field(sep.join(plain(v) for v in values), True, delim)

def ndjson_value(values, crossed, mode, sep):
    if not crossed or mode == "first":
        v = values[0] if values else None
        return "null" if v is None else compact(v)
    if mode == "json": return "[" + ",".join(compact(v) for v in values) + "]"
    if all(v is None for v in values): return "null"
    return json.dumps(sep.join(plain(v) for v in values), ensure_ascii=False)

def generate(rng, duplicates=False):
    def ws(): return rng.choice(["", "", "", " ", "\t", "  "])
    def value(depth):
        roll = rng.randrange(4, 12) if depth >= 4 else rng.randrange(12)
        if roll <= 2: return obj(depth)
        if roll == 3: return Arr([value(depth + 1) for _ in range(rng.randrange(4))])
        if roll <= 5: return Str(*rng.choice(STRINGS))
        if roll <= 7: return Num(rng.choice(NUMBERS))
        return [True, False, None, None][roll - 8]
    def obj(depth):
        keys = rng.sample(KEYS, rng.randrange(7 if depth == 0 else 4))
        if duplicates and keys and rng.randrange(2):
            keys.insert(rng.randrange(len(keys) + 1), rng.choice(keys))  # the last one wins
        return Obj([(Str(*k), value(depth + 1)) for k in keys])
    return obj, ws

def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "values")
    variants = [("csv-join", "join", "|", "", ",", "csv", []),
                ("csv-json", "json", "|", "", ",", "csv", ["--arrays", "json"]),
                ("csv-first-tab", "first", "|", "\\N", "\t", "csv", ["--arrays", "first", "--null-value", "\\N", "--delimiter", "tab"]),
                ("csv-join-semicolon", "join", ";", "NULL", ",", "csv", ["--array-separator", ";", "--null-value", "NULL"]),
                ("ndjson-join", "join", "|", "", ",", "ndjson", ["--to", "ndjson"]),
                ("ndjson-json", "json", "|", "", ",", "ndjson", ["--to", "ndjson", "--arrays", "json"]),
                # Duplicate keys in objects, and a path read by two columns.
                ("csv-duplicates", "join", "|", "", ",", "csv", []),
                ("ndjson-duplicates", "json", "|", "", ",", "ndjson", ["--to", "ndjson", "--arrays", "json"])]
    for number, (name, mode, sep, null, delim, fmt, extra) in enumerate(variants):
        rng = random.Random(1000 + number)
        duplicates = name.endswith("duplicates")
        obj, ws = generate(rng, duplicates)
        names = [k for k, _ in KEYS]
        paths = []
        while len(paths) < 6:
            p = ".".join(rng.choice(names) for _ in range(rng.randint(1, 2 if duplicates else 3)))
            if p not in paths: paths.append(p)
        if duplicates: paths.append(paths[0])
        records = [obj(0) for _ in range(300)]
        lines, rows = [], []
        if fmt == "csv": rows.append(delim.join(f"c{i}" for i in range(len(paths))))
        for r in records:
            lines.append(ws() + text(r, ws) + ws())
            cells = []
            for p in paths:
                out, crossed = [], [False]
                walk(r, p.split("."), out, crossed)
                if fmt == "csv": cells.append(csv_cell(out, crossed[0], mode, sep, null, delim))
                else: cells.append(ndjson_value(out, crossed[0], mode, sep))
            if fmt == "csv": rows.append(delim.join(cells))
            else: rows.append("{" + ",".join(f'"c{i}":{c}' for i, c in enumerate(cells)) + "}")
        folder = os.path.join(root, "generated-" + name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "input.ndjson"), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(folder, "args.txt"), "w", encoding="utf-8", newline="") as f:
            cols = ",".join(f"c{i}={p}" for i, p in enumerate(paths))
            f.write("\n".join(["--columns", cols] + extra) + "\n")
        with open(os.path.join(folder, "expected." + fmt), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(rows) + "\n")

if __name__ == "__main__":  # importable: Fixtures/tables/oracle.py reuses the cell rules
    main()
