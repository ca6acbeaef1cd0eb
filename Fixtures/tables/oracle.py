"""An independent reference for SPEC 10 (column types, `--tables`, the schema file), in plain Python.

It never looks at the Swift code: it parses each line with `json.loads` (number tokens keep
their exact text through the parse_int/parse_float hooks), takes the cell text of SPEC 3
from `Fixtures/reference/spec3.py`, and applies SPEC 10 on a plain tree:

    records ──learn──▶ array levels ──▶ tables (root + one per level a column crosses)
            ──walk───▶ rows per table (keys _row, _<seg>_idx) ──▶ cells (spec3) + types

    python3 Fixtures/tables/oracle.py FIXTURE_DIR OUT_DIR   # writes every file the tool must write

Limits, on purpose: the input is valid (no --on-error), strings are written back in the
canonical form of `json.dumps(..., ensure_ascii=False)` (the tool keeps the original escapes,
so fixtures use canonical strings), no --explode, no parts or gzip (the tests compare those
with the plain output after reading them back).
"""
import json, os, re, sys, unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import spec3  # noqa: E402  (SPEC 3 cells: csv_cell, ndjson_value, walk, compact)
from spec3 import Str, Num, Obj, Arr  # noqa: E402

TYPES = ["boolean", "integer", "decimal", "double", "timestamp", "date", "string", "json"]
MISSING = object()


# ---------------------------------------------------------------- parsing: exact tokens

def canonical(s):
    return json.dumps(s, ensure_ascii=False)


def to_tokens(v):
    if isinstance(v, str): return Str(v, canonical(v))
    if isinstance(v, list): return Arr([to_tokens(x) for x in v])
    if isinstance(v, Obj) or isinstance(v, Num) or v is None or v is True or v is False: return v
    raise ValueError(f"unexpected value {v!r}")


def parse_line(line):
    def constant(name): raise ValueError(f"{name} is not JSON")
    def pairs(members): return Obj([(Str(k, canonical(k)), to_tokens(x)) for k, x in members])
    value = json.loads(line, parse_int=Num, parse_float=Num, parse_constant=constant, object_pairs_hook=pairs)
    if not isinstance(value, Obj): raise ValueError("not an object: " + line)
    return value


def read_records(data):
    if data.startswith("\ufeff"): data = data[1:]
    lines = data.split("\n")
    if lines and lines[-1] == "": lines.pop()
    return [parse_line(line) for line in (l[:-1] if l.endswith("\r") else l for l in lines) if line.strip(" \t\r")]


# ---------------------------------------------------------------- SPEC 10: types

def real_date(y, m, d):
    if not (1 <= y <= 9999 and 1 <= m <= 12 and d >= 1): return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return d <= [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))")


def string_fits(s):
    m = DATE.fullmatch(s)
    if m and real_date(*map(int, m.groups())): return {"date", "string"}
    m = TIMESTAMP.fullmatch(s)
    if m:
        y, mo, d, h, mi, sec = map(int, m.groups()[:6])
        zone_ok = m.group(8) == "Z" or (int(m.group(9)) <= 23 and int(m.group(10)) <= 59)
        if real_date(y, mo, d) and h <= 23 and mi <= 59 and sec <= 59 and zone_ok:
            return {"timestamp", "string"}
    return {"string"}


def number_fits(text):
    if re.fullmatch(r"-?\d+", text) and -2**63 <= int(text) <= 2**63 - 1:
        return {"integer", "decimal", "double", "string"}
    if re.fullmatch(r"-?\d+(\.\d+)?", text) and sum(c.isdigit() for c in text) <= 38:
        return {"decimal", "double", "string"}
    return {"double", "string"}


def value_fits(v):
    """The types a single leaf value fits; None for a null (it says nothing)."""
    if v is None: return None
    if v is True or v is False: return {"boolean", "string"}
    if isinstance(v, Num): return number_fits(v.text)
    if isinstance(v, Str): return string_fits(v.value)
    return {"json"}  # an object, or an array inside an array


def cell_fits(values, crossed, mode):
    if not crossed or mode == "first":
        return value_fits(values[0] if values else None)
    if mode == "json": return {"json"}
    if all(v is None for v in values): return None
    return {"string"}  # a joined cell, even of one number


class TypeTracker:
    def __init__(self): self.fits = None  # None: no non-null value yet
    def add(self, fits):
        if fits is not None: self.fits = fits if self.fits is None else self.fits & fits
    def type(self):
        if self.fits is None: return "string"
        return next((t for t in TYPES if t in self.fits), "string")


# ---------------------------------------------------------------- names

def snake_base(name):
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out, previous = "", None
    for c in folded:
        upper, word = "A" <= c <= "Z", "A" <= c <= "Z" or "a" <= c <= "z" or "0" <= c <= "9"
        if word:
            if upper and previous is not None and ("a" <= previous <= "z" or "0" <= previous <= "9"): out += "_"
            out += c.lower()
        elif (out or previous is None) and not out.endswith("_"):
            out += "_"
        previous = c
    while len(out) > 1 and out.endswith("_"): out = out[:-1]
    if out in ("", "_"): out = "column"
    if out[0].isdigit(): out = "_" + out
    for reserved in ["_table_", "_file_", "_partition", "_row_timestamp", "__root__", "_colidentifier"]:
        if out.startswith(reserved): out = "c" + out
    return out[:63]


def unique(names):
    """Later duplicates get _2, _3… skipping names in use (case-insensitive, as HeaderNames)."""
    taken = {n.lower() for n in names}
    seen, result = set(), []
    for n in names:
        if n.lower() not in seen:
            seen.add(n.lower()); result.append(n); continue
        k = 2
        while (n[:63 - len(f"_{k}")] + f"_{k}").lower() in taken: k += 1
        c = n[:63 - len(f"_{k}")] + f"_{k}"
        taken.add(c.lower()); result.append(c)
    return result


def segment_name(segment, snake):
    """A path segment inside a table or key name: snake in snake style, else file-safe."""
    if snake: return snake_base(segment)
    safe = "".join("_" if c in "/\\" or ord(c) < 0x20 or ord(c) == 0x7F else c for c in segment)
    return safe or "_"


# ---------------------------------------------------------------- options

class Options:
    def __init__(self, args):
        self.columns, self.arrays, self.sep, self.null, self.delim = None, "join", "|", "", ","
        self.format, self.snake, self.tables, self.schema = None, False, False, False
        self.header, self.eol, self.infer_rows = True, "\n", 10000
        it = iter(args)
        for a in it:
            if a == "--columns": self.columns = next(it)
            elif a == "--arrays": self.arrays = next(it)
            elif a == "--array-separator": self.sep = next(it)
            elif a == "--null-value": self.null = next(it)
            elif a == "--delimiter": d = next(it); self.delim = "\t" if d == "tab" else d
            elif a == "--to": self.format = next(it)
            elif a == "--header-style": self.snake = next(it) == "snake"
            elif a == "--tables": self.tables = True
            elif a == "--schema": self.schema = True
            elif a == "--no-header": self.header = False
            elif a == "--crlf": self.eol = "\r\n"
            elif a == "--infer-rows": self.infer_rows = int(next(it))
            elif a in ("--quiet", "-q"): pass
            else: raise ValueError(f"oracle.py does not know {a}")


def parse_columns(text):
    """`id,mail=emails.email` → [(name or None, path tuple)]."""
    out = []
    for item in text.split(","):
        name, _, path = item.rpartition("=")
        out.append((name or None, tuple(path.split("."))))
    return out


def infer_columns(records):
    """SPEC 2.3: leaf paths in first-seen order; a path is a column if it held a string,
    number or boolean at least once (a null does not count), or never held an object."""
    order, scalar, objects = [], set(), set()
    def visit(v, path):
        if path and path not in order: order.append(path)
        if isinstance(v, Obj):
            if path: objects.add(path)
            last = {}
            for k, x in v.members: last[k.value] = x
            for k, x in v.members:
                if last.get(k.value) is x: visit(x, path + (k.value,))
        elif isinstance(v, Arr):
            for x in v.items: visit(x, path)
        elif path and v is not None:
            scalar.add(path)
    for r in records: visit(r, ())
    return [(None, p) for p in order if p in scalar or p not in objects]


# ---------------------------------------------------------------- SPEC 10: tables

def learn_arrays(records):
    arrays = set()
    def visit(v, path):
        if isinstance(v, Arr):
            arrays.add(path)
            for x in v.items: visit(x, path)
        elif isinstance(v, Obj):
            for k, x in v.members: visit(x, path + (k.value,))
    for r in records: visit(r, ())
    return arrays


def at(v, rel):
    for k in rel:
        if not isinstance(v, Obj): return MISSING
        found = [x for kk, x in v.members if kk.value == k]
        if not found: return MISSING
        v = found[-1]
    return v


def elements(v):
    if v is MISSING or v is None: return []
    return v.items if isinstance(v, Arr) else [v]  # not an array here: a one-element array


class Table:
    def __init__(self, name, chain):
        self.name, self.chain = name, chain  # chain: the array levels, outermost first
        self.columns = []  # (column index, header name before styling, path)
        self.rows = []


def plan_tables(root, columns, arrays, snake):
    """Tables in the order the columns first cross them (root first, parents before children)."""
    tables = {(): Table(root, [])}
    for index, (name, path) in enumerate(columns):
        chain = [path[:i] for i in range(1, len(path) + 1) if path[:i] in arrays]
        for depth in range(len(chain)):
            level = chain[depth]
            if level not in tables:
                tables[level] = Table(root + "".join("__" + segment_name(s, snake) for s in level), chain[:depth + 1])
        deepest = chain[-1] if chain else ()
        rest = path[len(deepest):]
        header = name if name is not None else (".".join(rest) if rest else "value") if chain else ".".join(path)
        tables[deepest].columns.append((index, header, path))
    ordered = list(tables.values())
    names = unique([t.name for t in ordered])
    for t, n in zip(ordered, names): t.name = n
    return ordered


def key_names(table, snake):
    keys = ["_row"] + ["_" + segment_name(level[-1], snake) + "_idx" for level in table.chain]
    return keys if snake else unique(keys)


def walk_rows(record, chain):
    """(indexes, element) for every row of the table at `chain` in one record."""
    def go(container, depth, previous, indexes):
        if depth == len(chain):
            yield indexes, container
            return
        level = chain[depth]
        for i, e in enumerate(elements(at(container, level[len(previous):]))):
            yield from go(e, depth + 1, level, indexes + [i])
    yield from go(record, 0, (), [])


def column_values(element, rest):
    """(values, crossed) of a column below its table's element (spec3.walk semantics)."""
    if not rest:
        return [element], False  # the element itself; an array inside an array is one json cell
    if not isinstance(element, Obj):
        return [None], False  # a scalar (or null, or array) where an object is expected
    out, crossed = [], [False]
    spec3.walk(element, list(rest), out, crossed)
    return out, crossed[0]


# ---------------------------------------------------------------- output

def json_string(s):
    """JSON string as the tool escapes names: \\" \\\\ \\n \\r \\t, other controls as \\u00xx."""
    out = ['"']
    for c in s:
        if c in '"\\': out.append("\\" + c)
        elif c == "\n": out.append("\\n")
        elif c == "\r": out.append("\\r")
        elif c == "\t": out.append("\\t")
        elif ord(c) < 0x20: out.append(f"\\u{ord(c):04x}")
        else: out.append(c)
    return "".join(out) + '"'


class Writer:
    def __init__(self, opts, fmt):
        self.opts, self.fmt = opts, fmt

    def text(self, header, rows):
        """rows: lists of cells, each ('key', int) or ('cell', values, crossed)."""
        o, lines = self.opts, []
        if self.fmt == "csv":
            if o.header: lines.append(o.delim.join(spec3.csv_field(h, True, o.delim) for h in header))
            for row in rows:
                lines.append(o.delim.join(str(c[1]) if c[0] == "key" else
                                          spec3.csv_cell(c[1], c[2], o.arrays, o.sep, o.null, o.delim) for c in row))
        else:
            for row in rows:
                lines.append("{" + ",".join(json_string(h) + ":" + (str(c[1]) if c[0] == "key" else
                                            spec3.ndjson_value(c[1], c[2], o.arrays, o.sep))
                                            for h, c in zip(header, row)) + "}")
        return "".join(line + o.eol for line in lines)


def schema_text(tables):
    """tables: [(name, files, rows, [(name, path or None, type)])]. The layout the tool writes."""
    parts = []
    for name, files, rows, columns in tables:
        cols = ",\n".join(f'    {{"name": {json_string(n)}, "path": {"null" if p is None else json_string(p)}, '
                          f'"type": "{t}"}}' for n, p, t in columns)
        parts.append(f'  {{"name": {json_string(name)}, "files": [{", ".join(json_string(f) for f in files)}], '
                     f'"rows": {rows}, "columns": [\n{cols}\n  ]}}')
    return '{"tables": [\n' + ",\n".join(parts) + "\n]}\n"


def convert(data, args, output, stdin=False):
    """Every file the tool writes for `convert INPUT ARGS -o output`: {file name: text}.
    With stdin=True, arrays are learned from the first --infer-rows records only."""
    opts = Options(args)
    records = read_records(data)
    base = os.path.basename(output)
    root, ext = base.split(".", 1)
    fmt = opts.format or ("ndjson" if ext.split(".")[0] in ("ndjson", "jsonl") else "csv")
    columns = parse_columns(opts.columns) if opts.columns else \
        infer_columns(records[:opts.infer_rows] if stdin else records)
    writer, files, schema = Writer(opts, fmt), {}, []
    if not opts.tables:
        header = [n if n is not None else ".".join(p) for n, p in columns]
        if opts.snake: header = unique([snake_base(h) for h in header])
        trackers, rows = [TypeTracker() for _ in columns], []
        for r in records:
            row = []
            for i, (_, path) in enumerate(columns):
                out, crossed = [], [False]
                spec3.walk(r, list(path), out, crossed)
                trackers[i].add(cell_fits(out, crossed[0], opts.arrays))
                row.append(("cell", out, crossed[0]))
            rows.append(row)
        files[base] = writer.text(header, rows)
        if not opts.schema: return files
        schema.append((root, [base], len(rows),
                       [(h, ".".join(p), t.type()) for h, (_, p), t in zip(header, columns, trackers)]))
    else:
        arrays = learn_arrays(records[:opts.infer_rows] if stdin else records)
        for table in plan_tables(root, columns, arrays, opts.snake):
            keys = key_names(table, opts.snake)
            header = keys + [h for _, h, _ in table.columns]
            if opts.snake: header = unique([snake_base(h) for h in header])
            trackers, rows = [TypeTracker() for _ in table.columns], []
            for number, r in enumerate(records, start=1):
                for indexes, element in walk_rows(r, table.chain):
                    row = [("key", number)] + [("key", i) for i in indexes]
                    depth = len(table.chain[-1]) if table.chain else 0
                    for t, (_, _, path) in zip(trackers, table.columns):
                        values, crossed = column_values(element, path[depth:]) if table.chain else \
                            column_values(element, path)
                        t.add(cell_fits(values, crossed, opts.arrays))
                        row.append(("cell", values, crossed))
                    rows.append(row)
            name = table.name + "." + ext
            files[name] = writer.text(header, rows)
            typed = [(h, None, "integer") for h in header[:len(keys)]]
            typed += [(h, ".".join(p), t.type()) for h, (_, _, p), t in zip(header[len(keys):], table.columns, trackers)]
            schema.append((table.name, [name], len(rows), typed))
    files[root + ".schema.json"] = schema_text(schema)
    return files


def run_fixture(folder):
    """The files for Fixtures/tables/NAME: the output is users.csv, or users.ndjson when the
    expected folder holds users.ndjson (see README.md)."""
    args = [a for a in open(os.path.join(folder, "args.txt"), encoding="utf-8").read().split("\n") if a]
    expected = os.path.join(folder, "expected")
    output = "users.ndjson" if os.path.exists(os.path.join(expected, "users.ndjson")) else "users.csv"
    with open(os.path.join(folder, "input.ndjson"), encoding="utf-8", newline="") as f:
        return convert(f.read(), args, output)


if __name__ == "__main__":
    if len(sys.argv) != 3: sys.exit("usage: oracle.py FIXTURE_DIR OUT_DIR")
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, text in run_fixture(sys.argv[1]).items():
        with open(os.path.join(sys.argv[2], name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
