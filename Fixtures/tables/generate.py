"""Writes Fixtures/tables/generated-*/: seeded random ragged records (UserPoint-like, with
arrays that are sometimes objects, scalars, null, empty or missing, arrays inside arrays,
type changes, every type's edges) and the files oracle.py says the tool must write for them.
Deterministic: the same seed gives the same bytes (CI re-runs it and diffs).
Run: python3 Fixtures/tables/generate.py"""
import os, random, shutil, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402
from spec3 import Str, Num, Obj, Arr, text  # noqa: E402  (oracle put Fixtures/reference on the path)

HERE = os.path.dirname(os.path.abspath(__file__))
STRINGS = ["plain", "", "a\"b", "tab\there", "é", "a,b;c|d", "line\nbreak", "null", "中文", " spaced ",
           "2024-05-01", "2024-02-30", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.250+02:00", "2024-13-01T00:00:00Z"]
NUMBERS = ["0", "-0", "7", "-12", "1.50", "1e5", "-3.25e-7", "9223372036854775807", "-9223372036854775808",
           "9223372036854775808", "12345678901234567890123456789012345678", "123456789012345678901234567890123456789"]
TIMESTAMPS = ["2024-05-01T12:00:00Z", "2023-12-31T23:59:59.999-05:00", "2024-02-29T00:00:00+01:00"]
DATES = ["2024-02-29", "1999-12-31", "2000-01-01"]


def s(value): return Str(value, oracle.canonical(value))
def obj(**members): return Obj([(s(k), v) for k, v in members.items() if v is not ABSENT])


ABSENT = object()


def none_if_absent(v): return None if v is ABSENT else v


class Records:
    def __init__(self, rng, noisy):
        self.rng, self.noisy = rng, noisy  # noisy: values change kind (scalar ↔ object), so most types are string

    def scalar(self):
        r = self.rng.randrange(10)
        if r < 3: return s(self.rng.choice(STRINGS))
        if r < 6: return Num(self.rng.choice(NUMBERS))
        return [True, False, None, s(self.rng.choice(TIMESTAMPS))][r - 6]

    def anything(self, depth=0):
        r = self.rng.randrange(8 if depth < 2 else 5)
        if r < 5: return self.scalar()
        if r < 7: return obj(**{k: self.anything(depth + 1) for k in self.rng.sample(["a", "b", "url"], 2)})
        return Arr([self.anything(depth + 1) for _ in range(self.rng.randrange(3))])

    def maybe(self, make, rate=8):
        """Usually make(); sometimes missing, null, or any other value (a type change)."""
        r = self.rng.randrange(rate + 4)
        if r < rate: return make()
        return [ABSENT, None, self.scalar(), obj(a=self.scalar())][(r - rate) % (4 if self.noisy else 2)]

    def array(self, make, most=3):
        """Usually an array; sometimes empty, null, missing, or one element without the array."""
        r = self.rng.randrange(12)
        if r < 7: return Arr([none_if_absent(self.maybe(make, 12)) for _ in range(self.rng.randrange(1, most + 1))])
        if r == 7: return Arr([])
        if r == 8: return None
        if r == 9: return ABSENT
        if r == 10: return make()  # an object (or scalar) where an array is elsewhere
        return Arr([None])

    def record(self):
        rng = self.rng
        def event(): return obj(name=self.maybe(lambda: s(rng.choice(["view", "click", "buy"]))),
                                props=self.maybe(lambda: obj(url=self.maybe(lambda: s("/p?" + str(rng.randrange(99)))),
                                                             n=self.maybe(lambda: Num(rng.choice(NUMBERS))))))
        def activity(): return obj(ts=self.maybe(lambda: s(rng.choice(TIMESTAMPS))),
                                   kind=self.maybe(lambda: s(rng.choice(["SITE", "APP"]))),
                                   events=self.array(event))
        def email(): return obj(email=self.maybe(lambda: s(f"u{rng.randrange(999)}@x.com")),
                                primary=self.maybe(lambda: rng.choice([True, False])),
                                ts=self.maybe(lambda: s(rng.choice(TIMESTAMPS))))
        members = dict(
            id=self.maybe(lambda: Num(str(rng.randrange(1, 10**6)))),
            emails=self.array(email),
            tags=self.array(lambda: s(rng.choice(["vip", "new", "old"]))),
            activities=self.array(activity),
            matrix=self.array(lambda: Arr([Num(rng.choice(NUMBERS)) for _ in range(rng.randrange(3))])),
            profile=self.maybe(lambda: obj(age=self.maybe(lambda: Num(str(rng.randrange(18, 90)))),
                                           birth=self.maybe(lambda: s(rng.choice(DATES))),
                                           score=self.maybe(lambda: Num(rng.choice(["1.5", "2", "0.25"]))))),
        )
        if rng.randrange(15) == 0:  # an array where an object is elsewhere
            members["profile"] = Arr([none_if_absent(members["profile"]), obj(age=Num("1"))])
        members["Zoë Key"] = self.array(lambda: obj(v=self.scalar()))
        members["misc"] = self.maybe(self.anything, 2)  # anything, arrays too
        keys = list(members)
        rng.shuffle(keys)
        return Obj([(s(k), members[k]) for k in keys if members[k] is not ABSENT])


PATHS = ["id", "emails.email", "emails.primary", "emails.ts", "tags", "activities.ts", "activities.kind",
         "activities.events.name", "activities.events.props.url", "activities.events.props.n", "matrix",
         "profile.age", "profile.birth", "profile.score", "Zoë Key.v", "misc", "misc.a", "never.seen"]

VARIANTS = [  # name, extra arguments, columns (None: inferred), noisy
    ("tables-csv", ["--tables"], "random", True),
    ("tables-named-snake", ["--tables", "--header-style", "snake", "--null-value", "\\N"], "named", False),
    ("tables-ndjson", ["--tables", "--to", "ndjson"], "random", False),
    ("tables-inferred", ["--tables"], None, False),
    ("tables-inferred-noisy", ["--tables"], None, True),
    ("schema-flat-join", ["--schema"], "random", False),
    ("schema-flat-json", ["--schema", "--arrays", "json", "--to", "ndjson"], "random", True),
]


def main():
    for number, (name, extra, columns, noisy) in enumerate(VARIANTS):
        rng = random.Random(2000 + number)
        gen = Records(rng, noisy)
        records = [gen.record() for _ in range(150)]
        def ws(): return rng.choice(["", "", "", " "])
        lines = [text(r, ws) for r in records]
        args = list(extra)
        if columns is not None:
            paths = rng.sample(PATHS, rng.randrange(5, 10))
            if columns == "named":
                paths = [f"c{i}={p}" if rng.randrange(2) else p for i, p in enumerate(paths)]
            args = ["--columns", ",".join(paths)] + args
        folder = os.path.join(HERE, "generated-" + name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "expected"))
        data = "\n".join(lines) + "\n"
        output = "users.ndjson" if "ndjson" in extra else "users.csv"
        with open(os.path.join(folder, "input.ndjson"), "w", encoding="utf-8", newline="") as f: f.write(data)
        with open(os.path.join(folder, "args.txt"), "w", encoding="utf-8", newline="") as f: f.write("\n".join(args) + "\n")
        for file, content in oracle.convert(data, args, output).items():
            with open(os.path.join(folder, "expected", file), "w", encoding="utf-8", newline="") as f: f.write(content)


if __name__ == "__main__":
    main()
