#!/usr/bin/env bash
# Re-runs every fixture generator in a copy of Fixtures/ and diffs the result with the
# committed files: the independent references (spec3.py, json-validity/generate.py,
# tables/generate.py, any other Fixtures/*/generate.py) must still produce exactly what the
# tests read. Generated folders (generated-*) are removed from the copy first, so a folder
# the generator no longer makes shows up too. Exit 1 on any difference. Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "check-fixtures: python3 is required" >&2; exit 1; }
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r Fixtures "$copy/Fixtures"
find "$copy/Fixtures" -maxdepth 2 -type d -name 'generated-*' -exec rm -rf {} +
rm -f "$copy/Fixtures/json-validity/lines.json"

generators=(Fixtures/reference/spec3.py)
while IFS= read -r found; do generators+=("$found"); done < <(find Fixtures -mindepth 2 -maxdepth 2 -name generate.py | sort)
for generator in "${generators[@]}"; do
    echo "check-fixtures: $generator"
    (cd "$copy/$(dirname "$generator")" && PYTHONDONTWRITEBYTECODE=1 python3 "$(basename "$generator")" >/dev/null)
done
if ! diff -r -q -x __pycache__ Fixtures "$copy/Fixtures"; then
    echo "check-fixtures: the committed fixtures differ from what their generators write (see above);" >&2
    echo "  re-run the generator and commit its output, or fix the generator" >&2
    exit 1
fi
echo "check-fixtures: ${#generators[@]} generators, output identical to the committed files"
