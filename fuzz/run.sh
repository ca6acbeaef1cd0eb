#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for SECONDS (default 600).
#
#   fuzz/run.sh scanner 600        # JSONLineScanner against an independent oracle
#   fuzz/run.sh lines 600          # LineBlocker: every chunking gives the same lines
#   fuzz/run.sh gzip 600           # InputDecompressor/GzipInflater: chunking, round trips
#   fuzz/run.sh otql 600           # OTQLParser (and ColumnList): no crash, round trip
#   fuzz/run.sh scanner 0 CRASHFILE   # replays one input (a crash found earlier)
#
# The library modules a target needs are compiled by swiftc with -sanitize=fuzzer,address and
# linked with the target's entry (fuzz/Targets/TARGET.swift); the scanner's oracle is the
# tests' own (Tests/MicsExportTests/RecordTree.swift), with a lexer of its own. Binaries, corpora and crashes go to fuzz/.work/ (git-ignored); the
# corpus starts from fuzz/seeds.sh (Fixtures/ and bench-like lines) and grows run after run.
# Runs under `nice -n 15`: the machine is shared. Extra libFuzzer flags: FUZZ_FLAGS="…".
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [INPUT…]}
seconds=${2:-600}
shift $(($# >= 2 ? 2 : 1))
work=fuzz/.work
mkdir -p "$work/bin" "$work/corpus/$target" "$work/crashes"

# Each library module the target needs is compiled from its folder (Sources/NAME) into a
# static library with coverage and address sanitizing, in dependency order, then linked
# with the target's entry. One -package-name for all: `package` declarations are visible.
common=(-swift-version 6 -parse-as-library -O -package-name micsfuzz -I "$work/mod" -I Sources/CZlib)
module() {  # module NAME
    local name=$1
    # shellcheck disable=SC2046
    nice -n 15 swiftc "${common[@]}" -sanitize=fuzzer,address -emit-library -static -emit-module \
        -module-name "$name" -emit-module-path "$work/mod/$name.swiftmodule" -o "$work/mod/lib$name.a" \
        $(find "Sources/$name" -name '*.swift' | sort) 2>&1 | grep -v 'warning: ' | grep -E 'error|^Sources' || true
    [ -f "$work/mod/lib$name.a" ] || { echo "fuzz/run.sh: building $name failed" >&2; exit 1; }
}
mkdir -p "$work/mod"
rm -f "$work"/mod/*.a
case "$target" in
scanner)
    modules=(MicsVocabulary MicsDecode)
    extra=(Tests/MicsExportTests/RecordTree.swift)
    ;;
lines | gzip)
    modules=(MicsVocabulary MicsDecode)
    extra=()
    ;;
otql)
    modules=(MicsVocabulary MicsDecode MicsProject)
    extra=()
    ;;
*)
    echo "fuzz/run.sh: unknown target $target (scanner, lines, gzip, otql)" >&2
    exit 64
    ;;
esac
libs=()
for name in "${modules[@]}"; do
    module "$name"
    libs=(-l"$name" "${libs[@]}")  # dependents first, for the static linker
done

binary=$work/bin/$target
nice -n 15 swiftc "${common[@]}" -sanitize=fuzzer,address -module-name "Fuzz_$target" -L "$work/mod" "${libs[@]}" -lz \
    "${extra[@]}" fuzz/Support.swift "fuzz/Targets/$target.swift" -o "$binary" 2>&1 | grep -v 'warning: ' | grep -E 'error|^fuzz' || true
[ -x "$binary" ] || { echo "fuzz/run.sh: building $target failed" >&2; exit 1; }

if [ "$#" -gt 0 ]; then
    exec "$binary" "$@"
fi
bash fuzz/seeds.sh "$target" "$work/corpus/$target"
dict=()
[ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
# shellcheck disable=SC2086
nice -n 15 "$binary" "$work/corpus/$target" "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -max_len=8192 -rss_limit_mb=3072 -artifact_prefix="$work/crashes/$target-" ${FUZZ_FLAGS:-} 2>&1 |
    tee "$work/$target.log" | grep -E '^#[0-9]+.*(pulse|DONE|NEW)|ERROR|MISMATCH|stat::|Done' | tail -25
