"""Makes lines.json: mutated ndjson lines, each classified by Python's strict json module.

The classification is the reference the scanner is checked against (JSONLineScannerFuzzTests):
valid means strict UTF-8, RFC 8259 JSON (no NaN/Infinity), no lone surrogate escape (SPEC 5:
`"\\ud800"` is not text), and an object at the top.
Run: python3 generate.py  (deterministic; seed below).
"""
import json, random

SEEDS = [
    b'{"id":"1","emails":[{"email":"a@x"},{"email":"b@y"}]}',
    b'{"n":12345678901234567890123,"f":1.50,"e":1e5,"z":-0,"x":-3.25E-7}',
    b'{"s":"a\\"b\\\\c\\nd\\u00e9\\ud83d\\ude00","t":true,"f":false,"u":null}',
    b'{"profiles":[{"gender":"F"},{"gender":"M","age":30}],"o":{}, "a":[]}',
    '{"name":"chloé 😀 中","k\\u0065":[[1,2],[3,{"x":null}]]}'.encode(),
    b' { "a" : [ 1 , 2 ] , "b" : { "c" : "d" } } ',
]
INSERTS = [b'"', b'\\', b'{', b'}', b'[', b']', b':', b',', b' ', b'\t', b'\r', b'0', b'1', b'-', b'+', b'.', b'e',
           b'E', b'u', b'x', b'\x00', b'\x1f', b'\x7f', b'\x80', b'\xc3', b'\xc0\xaf', b'\xed\xa0\x80', b'\xf4\x90\x80\x80',
           b'\xe2\x82\xac', b'\\u', b'\\ud800', b'null', b'true', b'NaN', b'Infinity', b'01', b'1.', b'1e', b'""']


def strict_text(value) -> bool:
    """No string, key or value, holds a lone surrogate (a \\ud800 escape without its pair)."""
    if isinstance(value, str):
        try:
            value.encode('utf-8', errors='strict')
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(strict_text(k) and strict_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(strict_text(v) for v in value)
    return True


def valid(line: bytes) -> bool:
    try:
        text = line.decode('utf-8', errors='strict')
        # object_pairs_hook: keys of duplicated members are checked too.
        value = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)),
                           object_pairs_hook=lambda pairs: {"": [[k, v] for k, v in pairs]})
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and strict_text(value)


def mutate(rng: random.Random, line: bytes) -> bytes:
    data = bytearray(line)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(4)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:
            del data[min(at, len(data) - 1)]
        elif kind == 1:
            data[at:at] = rng.choice(INSERTS)
        elif kind == 2 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        else:
            data = data[:at]
    return bytes(data).replace(b'\n', b' ')


rng = random.Random(20261129)
seen, cases = set(), []
for seed in SEEDS:
    cases.append({"hex": seed.hex(), "valid": valid(seed)})
    seen.add(seed)
while len(cases) < 4000:
    line = mutate(rng, rng.choice(SEEDS))
    if line in seen or not line.strip(b' \t\r'):
        continue
    seen.add(line)
    cases.append({"hex": line.hex(), "valid": valid(line)})
with open('lines.json', 'w') as out:
    json.dump(cases, out, indent=0)
print(len(cases), 'lines,', sum(c['valid'] for c in cases), 'valid')
