"""Runs oracle.py on every hand-written fixture in Fixtures/tables/ and diffs it with the
expected files written by hand from SPEC.md: the two must agree byte for byte (every file
of expected/, and no file more). Run: python3 Fixtures/tables/check_oracle.py
(`generated-*` folders are skipped: their expected files come from the oracle itself)."""
import difflib, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
failures = 0
folders = sorted(d for d in os.listdir(here) if os.path.isdir(os.path.join(here, d, "expected"))
                 and not d.startswith("generated-"))
for name in folders:
    folder = os.path.join(here, name)
    written = oracle.run_fixture(folder)
    expected_dir = os.path.join(folder, "expected")
    expected = {}
    for f in sorted(os.listdir(expected_dir)):
        with open(os.path.join(expected_dir, f), encoding="utf-8", newline="") as handle:
            expected[f] = handle.read()
    problems = []
    for f in sorted(set(expected) | set(written)):
        if f not in written: problems.append(f"{f}: expected, not written by the oracle")
        elif f not in expected: problems.append(f"{f}: written by the oracle, not expected")
        elif written[f] != expected[f]:
            diff = difflib.unified_diff(expected[f].splitlines(True), written[f].splitlines(True),
                                        f"expected/{f}", f"oracle/{f}")
            problems.append("".join(diff))
    print(("ok   " if not problems else "FAIL ") + name)
    for p in problems: print("     " + p.replace("\n", "\n     "))
    failures += bool(problems)
print(f"{len(folders) - failures} of {len(folders)} fixtures agree")
sys.exit(1 if failures or not folders else 0)
