#!/usr/bin/env python3
"""Side-by-side benchmark: mics-export vs DuckDB, Python orjson+csv, jq, Miller, gzip, zcat.

    python3 bench/bench.py [--quick] [--tools T,T] [--cases C,C] [--runs N] [--mics PATH]
    (bench/run.sh passes its arguments here)

Generates the input files when missing (bench/data/, deterministic), runs every tool on the
same file with the same columns, keeps every output in bench/out/, and prints a Markdown
table (wall time best of N, MB/s = input bytes / wall, CPU time, peak RSS from GNU time's
%M, rows out, and how many rows differ from the reference output). Results are merged into
bench/out/results-<mode>.json, so a later `--tools mics-export` run keeps the peers' rows;
the whole table is written to bench/out/results.md. This is a benchmark, not a test: it
never fails on a slow number.
"""
import argparse
import csv
import datetime
import gzip
import io
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
DATA = os.environ.get("BENCH_DATA") or os.path.join(BENCH, "data")
OUT = os.environ.get("BENCH_OUT") or os.path.join(BENCH, "out")
GEN = os.path.join(BENCH, "generate.py")
PEERS = os.path.join(BENCH, "peers")
MB = 1_000_000
MIB = 1 << 20

WIDE_COLS = "id,creation_ts,emails.email,profiles.gender,segments.id"
NARROW_COLS = "emails.id"
# --tables: 6 tables (users, users__emails, __profiles, __segments, __activities, __activities__events)
TABLE_COLS = "id,creation_ts,emails.email,profiles.gender,segments.id,activities.ts,activities.events.name"
ALL_TOOLS = ["mics-export", "duckdb", "duckdb-2", "polars", "polars-2", "orjson", "jq", "miller", "gzip", "pigz", "zcat", "dlt", "psql"]
ALL_CASES = ["wide", "narrow", "narrow-100mb", "gzip-out", "gzip-in", "ragged", "memory", "tables", "postgres"]
SLOW_RUN_S = 20.0  # a first run longer than this is not repeated (jq, Miller on 200 MB)

SIZES = {  # mode -> dataset -> (profile, generator size args)
    "full": {"wide": ("wide", ["--mb", "200"]), "narrow": ("narrow", ["--lines", "4000000"]),
             "ragged": ("ragged", ["--mb", "20"]), "wide10": ("wide", ["--mb", "10"]),
             "narrow100": ("narrow", ["--mb", "100"])},
    "quick": {"wide": ("wide", ["--mb", "20"]), "narrow": ("narrow", ["--lines", "400000"]),
              "ragged": ("ragged", ["--mb", "5"]), "wide10": ("wide", ["--mb", "10"]),
              "narrow100": ("narrow", ["--mb", "10"])},
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh_out(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return "?(%s)" % e


# ----------------------------------------------------------------------------------------------
# data

def data_path(mode, name):
    q = "" if mode == "full" else "-quick"
    return os.path.join(DATA, {"wide": "wide%s.ndjson" % q, "narrow": "narrow%s.ndjson" % q,
                               "ragged": "ragged%s.ndjson" % q, "wide.gz": "wide%s.ndjson.gz" % q,
                               "wide10": "wide-10mb.ndjson", "wide1g": "wide-1gb.ndjson",
                               "narrow100": "narrow-100mb%s.ndjson" % q}[name])


def ensure(mode, name):
    path = data_path(mode, name)
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    if name == "wide.gz":
        src = ensure(mode, "wide")
        log("making %s (gzip -6)" % path)
        subprocess.run("gzip -6 -c %s > %s.part && mv %s.part %s" % ((shlex.quote(src),) + (shlex.quote(path),) * 3),
                       shell=True, check=True)
    elif name == "wide1g":
        src = ensure("full", "wide")
        log("making %s (5 x %s)" % (path, os.path.basename(src)))
        with open(path + ".part", "wb") as out:
            for _ in range(5):
                with open(src, "rb") as f:
                    shutil.copyfileobj(f, out, 8 * MIB)
        os.replace(path + ".part", path)
    else:
        profile, args = SIZES[mode][name]
        subprocess.run([sys.executable, GEN, profile] + args + ["--seed", "42", "-o", path], check=True)
    return path


# ----------------------------------------------------------------------------------------------
# measuring

def measure(cmd, runs, stdout_path=None):
    """Run cmd (a list; use ["sh","-c",...] for pipes) under GNU time. Returns a dict."""
    best = None
    tf = tempfile.NamedTemporaryFile(prefix="bench-time-", delete=False)
    tf.close()
    res = {"runs": 0, "rc": 0, "rss_kib": 0}
    try:
        for i in range(runs):
            out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
            t0 = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", tf.name] + cmd,
                               stdout=out, stderr=subprocess.PIPE)
            wall = time.perf_counter() - t0
            if stdout_path:
                out.close()
            res["runs"] += 1
            last = open(tf.name).read().strip().splitlines()
            try:
                rss, usr, sys_ = last[-1].split()
                rss, cpu = int(rss), float(usr) + float(sys_)
            except Exception:  # noqa: BLE001
                rss, cpu = 0, 0.0
            if p.returncode != 0:
                lines = [x for x in p.stderr.decode("utf-8", "replace").splitlines() if x.strip()]
                errs = [x for x in lines if re.search(r"Error|error[: (]", x)] or lines
                res.update(rc=p.returncode, err=(errs[-1] if errs else "").strip()[:240],
                           wall=wall, cpu=cpu, rss_kib=max(res["rss_kib"], rss))
                return res
            res["rss_kib"] = max(res["rss_kib"], rss)
            if best is None or wall < best:
                best = wall
                res.update(wall=wall, cpu=cpu)
            if wall > SLOW_RUN_S:
                break
        return res
    finally:
        os.unlink(tf.name)


def open_text(path):
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    raw = gzip.open(path, "rb") if gz else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def csv_rows(path):
    """Data rows of a CSV output (header skipped); a blank line is a 1-column row holding ''."""
    with open_text(path) as f:
        r = csv.reader(f)
        header = next(r, None)
        for row in r:
            yield row if row else [""]


def count_rows(path):
    n = 0
    for _ in csv_rows(path):
        n += 1
    return n


def diff_rows(path, ref):
    """Rows of path that differ from ref, compared after CSV parsing (quoting ignored)."""
    n = 0
    a, b = csv_rows(path), csv_rows(ref)
    while True:
        x, y = next(a, None), next(b, None)
        if x is None and y is None:
            return n
        if x != y:
            n += 1


# ----------------------------------------------------------------------------------------------
# tools

def jq_program(cols):
    exprs = []
    for c in cols.split(","):
        parts = c.split(".")
        if len(parts) == 1:
            exprs.append(".%s" % parts[0])
        else:
            exprs.append('([.%s[]?.%s] | join("|"))' % (parts[0], parts[1]))
    header = "[%s]" % ",".join(json.dumps(c) for c in cols.split(","))
    return "(%s | @csv), (inputs | [%s] | @csv)" % (header, ", ".join(exprs))


def mlr_program(cols):
    fields = []
    for c in cols.split(","):
        parts = c.split(".")
        if len(parts) == 1:
            fields.append('"%s": $%s' % (c, parts[0]))
        else:
            fields.append('"%s": joinv(apply($%s, func(e) {return e["%s"]}), "|")' % (c, parts[0], parts[1]))
    return "$* = {%s}" % ", ".join(fields)


def evict_from_page_cache(path):
    """A binary the linker just wrote sits in the page cache in large folios, and each fault maps
    a whole folio: its runs peak 2-3 MiB higher than the same bytes read back from disk (measured
    2026-12-01: `--version` 20.6 MiB fresh, 17.9 after this). Evicted, its pages are read back as
    an installed binary's are, so peak RSS does not depend on when it was built."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


class Bench:
    def __init__(self, a):
        self.a = a
        self.mode = "quick" if a.quick else "full"
        self.mics = a.mics or os.environ.get("MICS") or os.path.join(REPO, ".build", "release", "mics-export")
        self.have_mics = os.path.isfile(self.mics) and os.access(self.mics, os.X_OK)
        self.tools = [t for t in (a.tools.split(",") if a.tools else ALL_TOOLS)]
        self.cases = [c for c in (a.cases.split(",") if a.cases else ALL_CASES)]
        self.results_path = os.path.join(OUT, "results-%s.json" % self.mode)
        self.results = {}
        if os.path.exists(self.results_path):
            try:
                self.results = json.load(open(self.results_path))
            except Exception:  # noqa: BLE001
                self.results = {}
        self.results.setdefault("rows", {})

    def want(self, tool):
        if tool not in self.tools:
            return False
        if tool == "mics-export" and not self.have_mics:
            return False
        return True

    def out(self, case, tool, ext="csv"):
        # full-mode outputs in out/, quick-mode ones in out/quick/ (never compared across modes)
        d = OUT if self.mode == "full" else os.path.join(OUT, "quick")
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, "%s.%s.%s" % (case, tool, ext))

    def record(self, case, tool, res, in_path, in_bytes=None, out_path=None, note="", count=True, ref=None,
               rows=None, diff=None):
        in_bytes = in_bytes if in_bytes is not None else os.path.getsize(in_path)
        row = {"case": case, "tool": tool, "input": os.path.basename(in_path), "in_bytes": in_bytes,
               "runs": res.get("runs", 0), "rc": res.get("rc", 0), "wall": res.get("wall"),
               "cpu": res.get("cpu"), "rss_kib": res.get("rss_kib"), "rows": None, "diff": None,
               "ref": None, "note": note, "load": sh_out("cut -d' ' -f1 /proc/loadavg"), "when": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")}
        if res.get("rc"):
            row["note"] = (note + "; " if note else "") + "exit %d: %s" % (
                res["rc"], res.get("err", ""))
        if out_path and os.path.exists(out_path) and count:
            try:
                row["rows"] = count_rows(out_path)
            except Exception as e:  # noqa: BLE001
                row["note"] += " (row count failed: %s)" % e
            if ref and ref != out_path and os.path.exists(ref) and not self.a.no_compare:
                try:
                    row["diff"] = diff_rows(out_path, ref)
                    row["ref"] = os.path.basename(ref)
                except Exception as e:  # noqa: BLE001
                    row["note"] += " (compare failed: %s)" % e
        if rows is not None:
            row["rows"] = rows
        if diff is not None:
            row["diff"], row["ref"] = diff[0], diff[1]
        self.results["rows"]["%s|%s" % (tool, case)] = row
        log("  %-12s %-9s wall %s  rss %s MiB  rows %s%s%s" % (
            tool, case, "%.2f s" % row["wall"] if row["wall"] else "-",
            "%.1f" % (row["rss_kib"] / 1024) if row["rss_kib"] else "-", row["rows"],
            "" if row["diff"] is None else "  differ from %s: %d" % (row["ref"], row["diff"]),
            ("  [" + row["note"] + "]") if row["note"] else ""))
        self.save()

    def save(self):
        os.makedirs(OUT, exist_ok=True)
        self.results["versions"] = self.versions
        with open(self.results_path + ".part", "w") as f:
            json.dump(self.results, f, indent=1)
        os.replace(self.results_path + ".part", self.results_path)

    # ------------------------------------------------------------------ cases
    def convert_case(self, case, in_path, cols, ref_tool="orjson"):
        runs = self.a.runs
        ref = self.out(case, ref_tool)
        order = ["orjson", "mics-export", "duckdb", "duckdb-2", "polars", "polars-2", "jq", "miller"]  # reference first
        for tool in order:
            if not self.want(tool):
                continue
            o = self.out(case, tool)
            note = ""
            if tool == "mics-export":
                cmd = [self.mics, "convert", in_path, "--columns", cols, "-o", o, "--quiet"]
                res = measure(cmd, runs)
            elif tool == "duckdb":
                res = measure([sys.executable, os.path.join(PEERS, "duckdb_csv.py"), in_path, o,
                               "--columns", cols, "--threads", "1"], runs)
                note = "threads=1, columns declared"
            elif tool == "duckdb-2":
                res = measure([sys.executable, os.path.join(PEERS, "duckdb_csv.py"), in_path, o,
                               "--columns", cols, "--threads", "2"], runs)
                note = "threads=2 (our core count), columns declared"
            elif tool in ("polars", "polars-2"):
                threads = "2" if tool == "polars-2" else "1"
                res = measure([sys.executable, os.path.join(PEERS, "polars_csv.py"), in_path, o,
                               "--columns", cols, "--threads", threads], runs)
                note = "POLARS_MAX_THREADS=%s, scan_ndjson + sink_csv, schema declared" % threads
            elif tool == "orjson":
                res = measure([sys.executable, os.path.join(PEERS, "orjson_csv.py"), in_path, o,
                               "--columns", cols], runs)
            elif tool == "jq":
                res = measure(["jq", "-nr", jq_program(cols), in_path], runs, stdout_path=o)
            elif tool == "miller":
                res = measure(["mlr", "--ijsonl", "--ocsv", "put", mlr_program(cols), in_path], runs,
                              stdout_path=o)
                note = "Go runtime, several goroutines"
            self.record(case, tool, res, in_path, out_path=o, note=note, ref=ref)

    def case_gzip_out(self, which, src, cols):
        """mics-export writing .csv.gz vs gzip -6 compressing the same CSV alone."""
        runs = self.a.runs
        case = "gzip-out-" + which
        ref = self.out(which, "orjson")
        if self.want("mics-export"):
            o = self.out(case, "mics-export", "csv.gz")
            res = measure([self.mics, "convert", src, "--columns", cols, "-o", o, "--quiet"], runs)
            self.record(case, "mics-export", res, src, out_path=o, note="-o out.csv.gz (level 6)", ref=ref)
        # the CSV to compress: mics-export's own if present, else a peer's (same rows)
        csv_in = next((p for p in (self.out(which, "mics-export"), self.out(which, "orjson"),
                                   self.out(which, "duckdb")) if os.path.exists(p)), None)
        if csv_in is None:
            log("  %s: no %s CSV to compress yet (run the %s case first)" % (case, which, which))
        else:
            if self.want("gzip"):
                o = self.out(case, "gzip", "csv.gz")
                res = measure(["gzip", "-6", "-c", csv_in], runs, stdout_path=o)
                self.record(case, "gzip", res, csv_in, out_path=o, note="gzip -6 of the CSV alone", count=False)
            if self.want("pigz"):
                o = self.out(case, "pigz", "csv.gz")
                res = measure(["pigz", "-6", "-p", "2", "-c", csv_in], runs, stdout_path=o)
                self.record(case, "pigz", res, csv_in, out_path=o, note="pigz -6 -p 2 (2 cores), for scale",
                            count=False)
        for tool, threads in (("duckdb", 1), ("duckdb-2", 2)):
            if not self.want(tool):
                continue
            o = self.out(case, tool, "csv.gz")
            res = measure([sys.executable, os.path.join(PEERS, "duckdb_csv.py"), src, o,
                           "--columns", cols, "--threads", str(threads)], runs)
            self.record(case, tool, res, src, out_path=o, ref=ref,
                        note="COPY ... (COMPRESSION gzip), %d thread%s" % (threads, "s" if threads > 1 else ""))

    def case_gzip_in(self, wide, wide_gz):
        runs = self.a.runs
        cols = WIDE_COLS
        json_bytes = os.path.getsize(wide)
        if self.want("mics-export"):
            o = self.out("gzip-in", "mics-export")
            res = measure([self.mics, "convert", wide_gz, "--columns", cols, "-o", o, "--quiet"], runs)
            self.record("gzip-in", "mics-export", res, wide_gz, in_bytes=json_bytes, out_path=o,
                        note="MB/s of uncompressed JSON", ref=self.out("wide", "orjson"))
        if self.want("zcat"):
            res = measure(["sh", "-c", "zcat %s > /dev/null" % shlex.quote(wide_gz)], runs)
            self.record("gzip-in", "zcat", res, wide_gz, in_bytes=json_bytes, note="zcat > /dev/null alone")
        for tool, threads in (("duckdb", 1), ("duckdb-2", 2)):
            if not self.want(tool):
                continue
            o = self.out("gzip-in", tool)
            res = measure([sys.executable, os.path.join(PEERS, "duckdb_csv.py"), wide_gz, o,
                           "--columns", cols, "--threads", str(threads)], runs)
            self.record("gzip-in", tool, res, wide_gz, in_bytes=json_bytes, out_path=o,
                        note="reads .gz itself, %d thread%s" % (threads, "s" if threads > 1 else ""),
                        ref=self.out("wide", "orjson"))

    def case_ragged(self, ragged):
        # one run each: does the tool finish, and with what?
        cols = WIDE_COLS
        save = self.a.runs
        self.a.runs = 1
        ref_tool = "mics-export" if self.have_mics else "orjson"
        order = [ref_tool] + [t for t in ["orjson", "mics-export", "duckdb", "jq", "miller"] if t != ref_tool]
        for tool in order:
            if not self.want(tool):
                continue
            o = self.out("ragged", tool)
            if os.path.exists(o):
                os.unlink(o)
            if tool == "mics-export":
                res = measure([self.mics, "convert", ragged, "--columns", cols, "-o", o, "--quiet"], 1)
            elif tool == "duckdb":
                res = measure([sys.executable, os.path.join(PEERS, "duckdb_csv.py"), ragged, o,
                               "--columns", cols, "--threads", "1"], 1)
            elif tool == "orjson":
                res = measure([sys.executable, os.path.join(PEERS, "orjson_csv.py"), ragged, o,
                               "--columns", cols], 1)
            elif tool == "jq":
                res = measure(["jq", "-nr", jq_program(cols), ragged], 1, stdout_path=o)
            elif tool == "miller":
                res = measure(["mlr", "--ijsonl", "--ocsv", "put", mlr_program(cols), ragged], 1, stdout_path=o)
            self.record("ragged", tool, res, ragged, out_path=o, ref=self.out("ragged", ref_tool),
                        note="one run; reference = %s" % ref_tool)
        self.a.runs = save

    def case_memory(self):
        if not self.want("mics-export"):
            log("  memory: needs mics-export")
            return
        if self.mode == "quick":
            log("  memory: skipped in --quick mode")
            return
        small = ensure("full", "wide10")
        big = ensure("full", "wide1g")
        for name, path in (("memory-10MB", small), ("memory-1GB", big)):
            o = self.out(name, "mics-export")
            res = measure([self.mics, "convert", path, "--columns", WIDE_COLS, "-o", o, "--quiet"],
                          1 if path == big else self.a.runs)
            self.record(name, "mics-export", res, path, out_path=o, note="peak RSS is the point here")
        for name, path in (("tables-memory-10MB", small), ("tables-memory-1GB", big)):
            self.tables_run(name, path, "users.csv.gz", 1 if path == big else self.a.runs, "--tables, 6 tables, gzip")

    def tables_run(self, case, path, output, runs, note):
        """mics-export --tables into a fresh folder out/CASE.mics-export.d/."""
        folder = self.out(case, "mics-export", "d")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        o = os.path.join(folder, output)
        res = measure([self.mics, "convert", path, "--columns", TABLE_COLS, "--tables", "-o", o, "--quiet"], runs)
        self.record(case, "mics-export", res, path, out_path=o, note=note)

    def case_tables(self, wide, sample):
        """--tables vs the flat conversion of the same columns (wide), and vs dlt (20 MB sample:
        dlt runs at ~1 MB/s, so 200 MB would take minutes)."""
        runs = self.a.runs
        if self.want("mics-export"):
            o = self.out("tables-flat", "mics-export")
            res = measure([self.mics, "convert", wide, "--columns", TABLE_COLS, "-o", o, "--quiet"], runs)
            self.record("tables-flat", "mics-export", res, wide, out_path=o, note="flat, same 7 columns")
            for case, path in (("tables", wide), ("tables-20MB", sample)):
                self.tables_run(case, path, "users.csv", runs, "--tables, 6 tables")
        if self.want("dlt"):
            try:
                import dlt  # noqa: F401
            except ImportError:
                log("  dlt: not installed (pip install \"dlt[duckdb]\"), skipped")
                return
            folder = self.out("tables-20MB", "dlt", "d")
            res = measure([sys.executable, os.path.join(PEERS, "dlt_tables.py"), sample, folder,
                           "--columns", TABLE_COLS], 1)
            self.record("tables-20MB", "dlt", res, sample, note="dlt normalize + load to DuckDB, same paths; one run")

    # ------------------------------------------------------------------ postgres (issue 11)
    def case_postgres(self, corpora, big):
        """`mics-export convert … --load URL --table T` vs `psql \\copy` of mics-export's own CSV of
        the same rows (`--target postgres`) into the same typed table (made by the load, copied
        with LIKE), runs alternating, best of N each; then the 1 GB load's peak RSS. A throwaway
        cluster of scripts/pg-test-cluster.sh, started here and stopped at the end."""
        if not self.want("mics-export"):
            log("  postgres: needs mics-export")
            return
        script = os.path.join(REPO, "scripts", "pg-test-cluster.sh")
        have_pg = shutil.which("psql") and (shutil.which("pg_config") or any(
            os.path.exists("/usr/lib/postgresql/%s/bin/initdb" % v) for v in os.listdir("/usr/lib/postgresql"))
            if os.path.isdir("/usr/lib/postgresql") else False)
        if not have_pg:
            log("  postgres: PostgreSQL is not installed (apt-get install -y postgresql openssl): case skipped")
            return
        folder = tempfile.mkdtemp(prefix="bench-pg-")
        env_file = os.path.join(folder, "cluster.env")
        started = subprocess.run(["bash", script, "start", env_file], capture_output=True, text=True)
        if started.returncode != 0:
            log("  postgres: the throwaway cluster did not start, case skipped: %s" % started.stderr.strip()[-300:])
            shutil.rmtree(folder, ignore_errors=True)
            return
        log("  " + started.stdout.strip().splitlines()[0])
        env = {}
        for line in open(env_file):
            if line.startswith("export ") and "=" in line:
                k, v = line[len("export "):].strip().split("=", 1)
                env[k] = v.strip("'")
        url = env["MICS_TEST_DATABASE_URL"]
        try:
            for which, path, cols in corpora:
                self.postgres_load("pg-load-" + which, path, cols, url)
            if big and self.mode == "full":
                self.psql(url, 'DROP TABLE IF EXISTS "bench_mem"')
                res = measure([self.mics, "convert", big, "--columns", WIDE_COLS, "--load", url, "--table",
                               "bench_mem", "--quiet"], 1)
                n = int(self.psql(url, 'SELECT count(*) FROM "bench_mem"') or 0) if not res.get("rc") else None
                self.record("pg-memory-1GB", "mics-export", res, big, rows=n,
                            note="--load, 5 columns, one run: peak RSS is the point (issue 11 target ≤ 48 MiB)")
                self.psql(url, 'DROP TABLE IF EXISTS "bench_mem"')
        finally:
            subprocess.run(["bash", script, "stop", env_file], capture_output=True)
            shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def psql(url, sql):
        p = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql: %s" % p.stderr.strip())
        return p.stdout.strip()

    def postgres_load(self, case, path, cols, url):
        # The CSV psql copies, made by the same conversion; timed too: what the load costs over it.
        csv_path = self.out(case, "mics-export", "csv")
        made = measure([self.mics, "convert", path, "--columns", cols, "--target", "postgres", "-o", csv_path,
                        "--quiet"], self.a.runs)
        if made.get("rc"):
            log("  %s: the CSV for psql could not be made: %s" % (case, made.get("err")))
            return
        self.record(case.replace("pg-load-", "pg-csv-"), "mics-export", made, path, out_path=csv_path,
                    note="the same conversion to a CSV file (--target postgres): the load without the database")
        mine, theirs = "bench_" + case.replace("-", "_"), "bench_" + case.replace("-", "_") + "_psql"
        load = [self.mics, "convert", path, "--columns", cols, "--load", url, "--table", mine, "--quiet"]
        copy = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
                "\\copy \"%s\" FROM '%s' WITH (FORMAT csv, HEADER true)" % (theirs, csv_path.replace("'", "''"))]
        best = {}
        for i in range(self.a.runs):
            # Alternating, each into an empty table: the load makes its own (fail mode), psql's is emptied.
            self.psql(url, 'DROP TABLE IF EXISTS "%s"' % mine)
            m = measure(load, 1)
            if m.get("rc"):
                best["m"] = m
                break
            if i == 0:
                self.psql(url, 'DROP TABLE IF EXISTS "%s"; CREATE TABLE "%s" (LIKE "%s")' % (theirs, theirs, mine))
            else:
                self.psql(url, 'TRUNCATE "%s"' % theirs)
            p = measure(copy, 1)
            for key, res in (("m", m), ("p", p)):
                if key not in best or (not res.get("rc") and res["wall"] < best[key]["wall"]):
                    rss = max(best.get(key, {}).get("rss_kib", 0), res.get("rss_kib", 0))
                    best[key] = dict(res, rss_kib=rss)
        m, p = best.get("m", {}), best.get("p", {})
        m["runs"], p["runs"] = self.a.runs, self.a.runs
        n_m = n_p = diff = None
        if not m.get("rc") and not p.get("rc") and p:
            n_m = int(self.psql(url, 'SELECT count(*) FROM "%s"' % mine))
            n_p = int(self.psql(url, 'SELECT count(*) FROM "%s"' % theirs))
            if not self.a.no_compare:
                diff = int(self.psql(url, 'SELECT count(*) FROM ((TABLE "%s" EXCEPT ALL TABLE "%s") UNION ALL '
                                          '(TABLE "%s" EXCEPT ALL TABLE "%s")) d' % (mine, theirs, theirs, mine)))
        types = self.psql(url, "SELECT string_agg(format_type(atttypid, atttypmod), ', ' ORDER BY attnum) "
                               "FROM pg_attribute WHERE attrelid = '\"%s\"'::regclass AND attnum > 0" % mine) \
            if n_m is not None else "?"
        self.record(case, "mics-export", m, path, rows=n_m, diff=None if diff is None else (diff, "table.psql"),
                    note="--load (%s)" % types)
        if p:
            self.record(case, "psql", p, path, rows=n_p,
                        note="\\copy of mics-export's CSV (%.0f MB) into the same typed table"
                             % (os.path.getsize(csv_path) / MB))
        for t in (mine, theirs):
            self.psql(url, 'DROP TABLE IF EXISTS "%s"' % t)

    # ------------------------------------------------------------------ report
    def collect_versions(self):
        v = {
            "date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
            "machine": "%s, %s cores, %s" % (sh_out("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
                                              os.cpu_count(), platform.platform()),
            "python": platform.python_version(),
            "jq": sh_out("jq --version"),
            "miller": sh_out("mlr --version"),
            "gzip": sh_out("gzip --version | head -1"),
            "pigz": sh_out("pigz --version 2>&1"),
            "psql": sh_out("psql --version"),
            "load average": sh_out("cut -d' ' -f1-3 /proc/loadavg"),
        }
        try:
            import duckdb
            v["duckdb"] = duckdb.__version__
        except Exception:  # noqa: BLE001
            v["duckdb"] = "not installed"
        try:
            import dlt
            v["dlt"] = dlt.__version__
        except Exception:  # noqa: BLE001
            v["dlt"] = "not installed (optional: pip install \"dlt[duckdb]\")"
        try:
            import orjson
            v["orjson"] = orjson.__version__
        except Exception:  # noqa: BLE001
            v["orjson"] = "not installed"
        try:
            import polars
            v["polars"] = polars.__version__
        except Exception:  # noqa: BLE001
            v["polars"] = "not installed"
        if self.have_mics:
            v["mics-export"] = "%s (%s, %s)" % (sh_out(shlex.quote(self.mics) + " --version 2>&1 | head -1"),
                                                self.mics, time.strftime(
                                                    "%Y-%m-%d %H:%M", time.gmtime(os.path.getmtime(self.mics))))
        else:
            v["mics-export"] = "not found at %s (skipped)" % self.mics
        return v

    def table(self):
        rows = list(self.results["rows"].values())
        case_order = {c: i for i, c in enumerate(["wide", "narrow", "narrow-100mb", "gzip-out-wide", "gzip-out-narrow", "gzip-in",
                                                   "ragged", "memory-10MB", "memory-1GB", "tables-flat", "tables",
                                                   "tables-20MB", "tables-memory-10MB", "tables-memory-1GB",
                                                   "pg-csv-narrow", "pg-load-narrow", "pg-csv-wide", "pg-load-wide",
                                                   "pg-memory-1GB"])}
        tool_order = {t: i for i, t in enumerate(ALL_TOOLS)}
        rows.sort(key=lambda r: (case_order.get(r["case"], 99), tool_order.get(r["tool"], 99)))
        lines = ["| case | tool | input | wall s | MB/s | CPU s | MB/CPU-s | peak RSS MiB | rows out | rows ≠ ref "
                 "| load | note |",
                 "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for r in rows:
            ok = r["wall"] and not r["rc"]
            lines.append("| %s | %s | %s (%.0f MB) | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r["case"], r["tool"], r["input"], r["in_bytes"] / MB,
                "%.2f" % r["wall"] + ("" if r["runs"] > 1 else "¹") if ok else "failed",
                "%.0f" % (r["in_bytes"] / MB / r["wall"]) if ok else "-",
                "%.2f" % r["cpu"] if r.get("cpu") is not None and ok else "-",
                "%.0f" % (r["in_bytes"] / MB / r["cpu"]) if ok and r.get("cpu") else "-",
                "%.1f" % (r["rss_kib"] / 1024) if r["rss_kib"] else "-",
                "{:,}".format(r["rows"]) if r["rows"] is not None else "-",
                "%d (vs %s)" % (r["diff"], r["ref"].split(".")[1]) if r["diff"] is not None else "-",
                r.get("load", "?"),
                r["note"].replace("|", "\\|")))
        return "\n".join(lines)

    def targets(self):
        R = self.results["rows"]
        g = lambda t, c: R.get("%s|%s" % (t, c))  # noqa: E731
        out = []

        def ok(r):
            return r and r["wall"] and not r["rc"]

        # Issue 12: at equal cores (DuckDB given our two threads).
        # T4 as issue 12 states it (100 MB) and on the 196 MB narrow file.
        for case, label in (("wide", "T1"), ("narrow-100mb", "T4"), ("narrow", "T4 (196 MB)")):
            m, d = g("mics-export", case), g("duckdb-2", case)
            if ok(m) and ok(d):
                out.append("- %s %s: mics-export %.2f s vs DuckDB 2 threads %.2f s = %.2f× (issue 12 target ≥ 2×)" % (
                    label, case, m["wall"], d["wall"], d["wall"] / m["wall"]))
        m, d, z = g("mics-export", "gzip-in"), g("duckdb-2", "gzip-in"), g("zcat", "gzip-in")
        if ok(m) and ok(d) and ok(z):
            out.append("- T3 gzip-in: mics-export %.2f s vs DuckDB 2 threads %.2f s = %.2f× (target ≥ 1.5×), "
                       "vs zcat alone %.2f s = %.2f× (target ≥ 1.1×)"
                       % (m["wall"], d["wall"], d["wall"] / m["wall"], z["wall"], z["wall"] / m["wall"]))
        m, z = g("mics-export", "gzip-out-wide"), g("gzip", "gzip-out-wide")
        if ok(m) and ok(z):
            out.append("- T2 gzip-out-wide: mics-export %.2f s vs gzip -6 of the CSV alone %.2f s = %.2f× "
                       "(target ≤ 0.6×)" % (m["wall"], z["wall"], m["wall"] / z["wall"]))
        for case in ("wide", "narrow"):
            m, d = g("mics-export", case), g("duckdb", case)
            if ok(m) and ok(d):
                out.append("- %s: mics-export %.0f MB/s vs DuckDB 1 thread %.0f MB/s = %.2f× (target ≥ 2×)" % (
                    case, m["in_bytes"] / MB / m["wall"], d["in_bytes"] / MB / d["wall"], d["wall"] / m["wall"]))
        for which in ("wide", "narrow"):
            m, z = g("mics-export", "gzip-out-" + which), g("gzip", "gzip-out-" + which)
            if ok(m) and ok(z):
                out.append("- gzip output (%s): mics-export %.2f s vs gzip -6 of the CSV alone %.2f s = %.2f× "
                           "(target ≤ 1.2×)" % (which, m["wall"], z["wall"], m["wall"] / z["wall"]))
        m, z = g("mics-export", "gzip-in"), g("zcat", "gzip-in")
        if ok(m) and ok(z):
            out.append("- gzip input: mics-export %.2f s vs zcat alone %.2f s = %.2f× (target ≤ 1.2×)"
                       % (m["wall"], z["wall"], m["wall"] / z["wall"]))
        rss = [r for r in R.values() if r["tool"] == "mics-export" and r["rss_kib"] and not r["case"].startswith("pg-")]
        if rss:
            out.append("- mics-export peak RSS: max %.1f MiB over %d cases (target ≤ 32 MiB)" % (
                max(r["rss_kib"] for r in rss) / 1024, len(rss)))
        a, b = g("mics-export", "memory-10MB"), g("mics-export", "memory-1GB")
        if ok(a) and ok(b):
            out.append("- memory: 10 MB input %.1f MiB, 1 GB input %.1f MiB, difference %.1f MiB (target: a few MB)"
                       % (a["rss_kib"] / 1024, b["rss_kib"] / 1024, (b["rss_kib"] - a["rss_kib"]) / 1024))
        t, f = g("mics-export", "tables"), g("mics-export", "tables-flat")
        if ok(t) and ok(f):
            out.append("- --tables: %.2f s vs the flat conversion %.2f s = %.2f× its speed (issue 10 target ≥ 0.7×)"
                       % (t["wall"], f["wall"], f["wall"] / t["wall"]))
        t, d = g("mics-export", "tables-20MB"), g("dlt", "tables-20MB")
        if ok(t) and ok(d):
            out.append("- --tables vs dlt on %s: %.2f s vs %.1f s = %.0f× faster (issue 10 target ≥ 100×)"
                       % (t["input"], t["wall"], d["wall"], d["wall"] / t["wall"]))
        a, b = g("mics-export", "tables-memory-10MB"), g("mics-export", "tables-memory-1GB")
        if ok(a) and ok(b):
            out.append("- --tables + gzip peak RSS: 10 MB %.1f MiB, 1 GB %.1f MiB (issue 10 target ≤ 40 MiB, flat)"
                       % (a["rss_kib"] / 1024, b["rss_kib"] / 1024))
        for which in ("narrow", "wide"):
            m, p = g("mics-export", "pg-load-" + which), g("psql", "pg-load-" + which)
            if ok(m) and ok(p):
                c = g("mics-export", "pg-csv-" + which)
                out.append("- load into PostgreSQL (%s): mics-export --load %.2f s vs psql \\copy of its CSV %.2f s = "
                           "%.2f× its speed (issue 11 target ≥ 0.8×)%s" % (
                               which, m["wall"], p["wall"], p["wall"] / m["wall"],
                               "; the conversion alone to that CSV: %.2f s" % c["wall"] if ok(c) else ""))
        m = g("mics-export", "pg-memory-1GB")
        if ok(m):
            out.append("- --load of 1 GB: peak RSS %.1f MiB (issue 11 target ≤ 48 MiB)" % (m["rss_kib"] / 1024))
        return "\n".join(out)

    def report(self):
        v = self.results.get("versions", self.versions)
        text = ["# mics-export benchmark (%s mode)" % self.mode, "",
                "Generated by `bench/run.sh%s` on %s." % (" --quick" if self.mode == "quick" else "", v["date"]),
                "Machine: %s; load average at start %s." % (v["machine"], v["load average"]), "",
                self.table(), "",
                "¹ one run only (a run over %.0f s is not repeated); otherwise wall is the best of %d runs, "
                "peak RSS the highest over the runs, MB/s = input bytes (uncompressed JSON for gzip-in) / wall, "
                "MB = 10^6 bytes. MB/CPU-s = input bytes / (user + system CPU time of the best run): less sensitive "
                "to a busy machine than wall time, but it counts every core a tool uses. `load` is the 1-minute "
                "load average when the row was recorded (2 cores: above ~1 the numbers are pessimistic). "
                "`rows ≠ ref` compares parsed CSV rows with the reference tool's output."
                % (SLOW_RUN_S, self.a.runs), ""]
        if self.mode == "quick":
            text += ["Quick mode: on 20 MB inputs, start-up costs weigh (Python + `import duckdb` ≈ 0.25 s and "
                     "65 MiB); use the full mode for the numbers that count.", ""]
        t = self.targets()
        if t:
            text += ["Targets (issue 2, \"Speed and memory\"):", "", t, ""]
        text += ["Versions:", ""] + ["- %s: %s" % (k, v[k]) for k in
                                    ("mics-export", "duckdb", "polars", "orjson", "python", "jq", "miller", "gzip", "pigz", "dlt", "psql")]
        return "\n".join(text) + "\n"

    def run(self):
        self.versions = self.collect_versions()
        os.makedirs(OUT, exist_ok=True)
        log("mode %s; tools %s; cases %s; mics-export: %s" % (
            self.mode, ",".join(self.tools), ",".join(self.cases), self.mics if self.have_mics else "missing"))
        if "mics-export" in self.tools and not self.have_mics:
            log("note: mics-export not found at %s: its rows are skipped (set MICS=/path or --mics)" % self.mics)
        if self.have_mics:
            evict_from_page_cache(self.mics)
        wide = ensure(self.mode, "wide") if {"wide", "gzip-out", "gzip-in"} & set(self.cases) else None
        if "wide" in self.cases:
            log("case wide (%s, %.0f MB)" % (os.path.basename(wide), os.path.getsize(wide) / MB))
            self.convert_case("wide", wide, WIDE_COLS)
        if "narrow" in self.cases:
            narrow = ensure(self.mode, "narrow")
            log("case narrow (%s, %.0f MB)" % (os.path.basename(narrow), os.path.getsize(narrow) / MB))
            self.convert_case("narrow", narrow, NARROW_COLS)
        if "narrow-100mb" in self.cases:
            narrow100 = ensure(self.mode, "narrow100")
            log("case narrow-100mb (%s, %.0f MB)" % (os.path.basename(narrow100), os.path.getsize(narrow100) / MB))
            self.convert_case("narrow-100mb", narrow100, NARROW_COLS)
        if "gzip-out" in self.cases:
            log("case gzip-out-wide")
            self.case_gzip_out("wide", wide, WIDE_COLS)
            log("case gzip-out-narrow")
            self.case_gzip_out("narrow", ensure(self.mode, "narrow"), NARROW_COLS)
        if "gzip-in" in self.cases:
            log("case gzip-in")
            self.case_gzip_in(wide, ensure(self.mode, "wide.gz"))
        if "ragged" in self.cases:
            ragged = ensure(self.mode, "ragged")
            log("case ragged (%s, %.0f MB)" % (os.path.basename(ragged), os.path.getsize(ragged) / MB))
            self.case_ragged(ragged)
        if "memory" in self.cases:
            log("case memory")
            self.case_memory()
        if "tables" in self.cases:
            log("case tables")
            self.case_tables(ensure(self.mode, "wide"), ensure("quick", "wide"))
        if "postgres" in self.cases:
            log("case postgres")
            self.case_postgres([("narrow", ensure(self.mode, "narrow100"), NARROW_COLS),
                                ("wide", ensure(self.mode, "wide"), WIDE_COLS)],
                               ensure("full", "wide1g") if self.mode == "full" else None)
        self.results["versions"] = self.versions
        self.save()
        md = self.report()
        with open(os.path.join(OUT, "results.md" if self.mode == "full" else "results-quick.md"), "w") as f:
            f.write(md)
        print(md)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="~20 MB inputs instead of ~200 MB, no 1 GB memory case")
    ap.add_argument("--tools", help="comma list among: " + ",".join(ALL_TOOLS) + " (default all)")
    ap.add_argument("--cases", help="comma list among: " + ",".join(ALL_CASES) + " (default all)")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")),
                    help="runs per measurement, best wall kept (default 3, env BENCH_RUNS)")
    ap.add_argument("--mics", help="mics-export binary (default $MICS or .build/release/mics-export)")
    ap.add_argument("--no-compare", action="store_true", help="skip the row-by-row comparison of outputs")
    ap.add_argument("--reset", action="store_true", help="forget earlier results of this mode")
    a = ap.parse_args()
    for t in (a.tools or "").split(","):
        if t and t not in ALL_TOOLS:
            ap.error("unknown tool %s" % t)
    for c in (a.cases or "").split(","):
        if c and c not in ALL_CASES:
            ap.error("unknown case %s" % c)
    b = Bench(a)
    if a.reset:
        b.results = {"rows": {}}
    b.run()


if __name__ == "__main__":
    main()
