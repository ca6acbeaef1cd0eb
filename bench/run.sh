#!/usr/bin/env bash
# bench/run.sh [--quick] [--tools T,T] [--cases C,C] [--runs N] [--mics PATH]
# Side-by-side benchmark of mics-export and its peers; see bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
for c in jq mlr gzip pigz /usr/bin/time; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}; install with:" >&2
  echo "  apt-get update && apt-get install -y jq miller pigz time" >&2
  exit 1
fi
if ! python3 -c 'import duckdb, orjson, polars' 2>/dev/null; then
  echo "run.sh: missing Python packages; install with: pip install duckdb orjson polars" >&2
  exit 1
fi
exec python3 "$here/bench.py" "$@"
