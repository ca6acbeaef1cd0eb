#!/usr/bin/env bash
# Seeds a target's corpus folder (fuzz/run.sh calls it): lines from Fixtures/ and bench-like
# lines (bench/generate.py ragged, when python3 is there). Idempotent: files are named by content.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
out=$2
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every ndjson line in Fixtures/, plus ragged bench lines.
cat $(find Fixtures -name '*.ndjson' | sort) >"$tmp/lines"
if command -v python3 >/dev/null; then
    python3 bench/generate.py ragged --lines 150 --seed 7 -o "$tmp/ragged" >/dev/null 2>&1 && cat "$tmp/ragged" >>"$tmp/lines"
    python3 - "$tmp/lines" Fixtures/json-validity/lines.json <<'PY' 2>/dev/null || true
import json, sys
with open(sys.argv[1], 'ab') as out:
    for item in json.load(open(sys.argv[2]))[:600]:
        out.write(bytes.fromhex(item["hex"]) + b"\n")
PY
fi

put() {  # put FILE: copy into the corpus under its hash
    local sum
    sum=$(sha1sum "$1" | cut -c1-40)
    [ -e "$out/$sum" ] || cp "$1" "$out/$sum"
}

case "$target" in
scanner)
    split -l 1 -a 5 "$tmp/lines" "$tmp/line-"
    for f in "$tmp"/line-*; do
        head -c -1 "$f" >"$f.x" 2>/dev/null || true  # without the newline
        put "$f.x"
    done
    ;;
lines)
    # 4 parameter bytes, then text: a few line sets with CRLF, blanks, a BOM and long lines.
    for p in '\x10\x05\x01\x02' '\x03\x40\x07\x09' '\xff\x01\x00\x00' '\x20\x20\x33\x44'; do
        { printf "$p"; printf '\xef\xbb\xbf'; head -c 3000 "$tmp/lines"; printf '\r\n\n  \r\n{"a":1}'; } >"$tmp/l"
        put "$tmp/l"
    done
    ;;
gzip)
    head -c 4000 "$tmp/lines" >"$tmp/plain"
    { printf '\x00\x11'; gzip -c "$tmp/plain"; } >"$tmp/g1"; put "$tmp/g1"
    { printf '\x00\x22'; gzip -c "$tmp/plain"; gzip -1 -c "$tmp/plain"; printf '\0\0'; } >"$tmp/g2"; put "$tmp/g2"
    { printf '\x00\x33'; gzip -c "$tmp/plain" | head -c 700; } >"$tmp/g3"; put "$tmp/g3"
    { printf '\x01\x05'; head -c 600 "$tmp/plain"; } >"$tmp/g4"; put "$tmp/g4"
    { printf '\x00\x01'; head -c 600 "$tmp/plain"; } >"$tmp/g5"; put "$tmp/g5"
    ;;
otql)
    for f in $(find Fixtures pipelines -name '*.otql' -o -name '*.yaml' | sort); do put "$f"; done
    printf 'SELECT { id emails { email } profiles @map(limit:10) { gender age } } FROM UserPoint WHERE x = "a"' >"$tmp/q1"; put "$tmp/q1"
    printf '# c\nselect {\n  id /* x */ activities { ts events { name } } , b\n}\nfrom UserPoint' >"$tmp/q2"; put "$tmp/q2"
    printf 'SELECT @count{} FROM UserPoint' >"$tmp/q3"; put "$tmp/q3"
    printf 'id, email=emails.email ,profiles.gender' >"$tmp/q4"; put "$tmp/q4"
    ;;
pipeline)
    # The pipelines/ files, and the YAML of the pipeline tests (their string literals).
    for f in pipelines/*.yaml; do put "$f"; done
    if command -v python3 >/dev/null; then
        python3 -W ignore - "$tmp/p" Tests/MicsExportTests/PipelineFileTests.swift Tests/MicsExportTests/PipelineValidationTests.swift <<'PY' || true
import re, sys
out = sys.argv[1]
seeds = []
for path in sys.argv[2:]:
    text = open(path).read()
    # Multi-line literals: the closing line's indentation is stripped from every line.
    for body, indent in re.findall(r'"""\n(.*?)\n([ ]*)"""', text, re.S):
        seeds.append("\n".join(l[len(indent):] for l in body.split("\n")) + "\n")
    # One-line literals that hold YAML (a key and a colon), `source + "…"` included.
    for prefix, body in re.findall(r'(source \+ )?"((?:[^"\\\n]|\\.)*:(?:[^"\\\n]|\\.)*)"', text):
        body = body.encode().decode("unicode_escape")
        seeds.append(("source: { file: in.ndjson }\n" if prefix else "") + body)
for i, seed in enumerate(seeds):
    open(f"{out}-{i}", "w").write(seed)
PY
    fi
    for f in "$tmp"/p-*; do [ -e "$f" ] && put "$f"; done
    printf 'source:\r\n  file: a\r\nprojection:\r\n  query: "SELECT {\\n id } FROM T"\r\n' >"$tmp/crlf"; put "$tmp/crlf"
    printf 'source: { sandbox: true }\nprojection:\n  query: |\n    SELECT { id emails { email }\n    FROM UserPoint\n' >"$tmp/q"; put "$tmp/q"
    ;;
esac
