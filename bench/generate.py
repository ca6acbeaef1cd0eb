#!/usr/bin/env python3
"""Deterministic generator of mediarithmics Query Export ndjson files (stdlib only).

    python3 bench/generate.py PROFILE (--mb N | --lines N) [-o FILE] [--seed S]

PROFILE:
  narrow  `{"emails":[{"id":"87987987985465432198"}]}`-like lines (~49 B on average):
          ~10 % `{"emails":[]}`, ~65 % one id, ~25 % two ids; ids are strings of 20-21 digits.
  wide    UserPoint lines of 1-3 KB (~1.7 KB on average): id, creation_ts, emails, accounts,
          profiles, segments, activities with events and properties; some numbers beyond 2^53
          written as numbers (`"big":12345678901234567890123`), decimals kept as written
          (`1.50`, `1e5`, `-0.0`).
  ragged  like wide, plus shape drift and awkward text: missing keys, nulls, type changes (a
          string where an object or array was, an object where an array was), escapes (`\\"`,
          `\\\\`, `\\u00e9`, `\\n`, `\\t`), raw non-ASCII UTF-8 (2-, 3- and 4-byte), duplicate
          keys, spaces after separators, CRLF line ends on some lines, blank lines (empty, and
          `\\r\\n` alone), a UTF-8 BOM at the start, and maybe no final newline.
          Every non-blank line is one valid JSON object unless --invalid-every N is given.

Sizes: --mb N stops at the first line boundary at or after N * 1,000,000 bytes (MB = 10^6);
--lines N writes exactly N records (ragged: blank lines come on top and are not counted).
The output is a function of (profile, seed, size) only: same arguments, same bytes.
"""
import argparse
import json
import random
import sys
import time

MB = 1_000_000
RAW = "\x01"  # marker: a string value starting with it is written as a raw JSON token
_RAW_JSON = json.dumps(RAW)[1:-1]  # how the marker comes out of json.dumps: \u0001


def raw(token):
    """A value json.dumps writes as a quoted marker string; _unmark() turns it into the bare token."""
    return RAW + token


def _unmark(text):
    # "\u0001TOKEN" -> TOKEN. The marker only ever starts strings made by raw(); tokens never hold '"'.
    if _RAW_JSON not in text:
        return text
    parts = text.split('"' + _RAW_JSON)
    out = [parts[0]]
    for p in parts[1:]:
        q = p.index('"')
        out.append(p[:q])
        out.append(p[q + 1:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# vocabularies

FIRST = ["anna", "louis", "marie", "jules", "camille", "hugo", "lea", "arthur", "chloe", "nathan",
         "ines", "paul", "emma", "tom", "zoe", "adam", "lina", "noah", "rose", "leo"]
LAST = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
        "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david"]
DOMAINS = ["gmail.com", "yahoo.fr", "orange.fr", "hotmail.com", "free.fr", "outlook.com",
           "example.org", "mediarithmics.com", "laposte.net", "icloud.com"]
COUNTRIES = ["FR", "DE", "ES", "IT", "GB", "US", "BE", "CH", "NL", "PT", "CA", "BR"]
CITIES = ["Paris", "Lyon", "Marseille", "Berlin", "Madrid", "Roma", "London", "New York",
          "Bruxelles", "Genève", "Amsterdam", "Lisboa", "Montréal", "São Paulo"]
GENDERS = ["F", "M", "F", "M", "U"]
SEGMENT_NAMES = ["Sports fans", "In-market: cars", "Newsletter subscribers", "Cart abandoners",
                 "High value", "Lookalike 2%", "Mobile only", "Churn risk", "Travel > 3 trips/y",
                 "Parents", "Students", "Gamers"]
ACT_TYPES = ["SITE_VISIT", "APP_VISIT", "EMAIL", "DISPLAY_AD", "TOUCH", "USER_SCENARIO_NODE_EXIT"]
EVENT_NAMES = ["$page_view", "$item_view", "$basket_view", "$transaction_confirmed",
               "$email_open", "$email_click", "$ad_view", "$ad_click", "$app_open", "search"]
URL_PATHS = ["/", "/home", "/sport/football", "/news/economy/2024/article-8812",
             "/cart", "/checkout/step-2", "/product/sku-99817", "/search?q=chaussures+running",
             "/account/settings", "/fr/promo/black-friday"]
CATEGORIES = ["shoes", "books", "electronics", "garden", "toys", "beauty", "food", "travel"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge", "Samsung Internet"]
OS = ["Windows", "macOS", "Android", "iOS", "Linux"]

# ragged text: escapes once json.dumps'd, and raw UTF-8 when written with ensure_ascii=False
AWKWARD = ['say "hi"', "C:\\temp\\x", "café crème", "line1\nline2", "tab\tsep", "naïve 東京 🎉",
           "Zoë; a,b", "=SUM(A1)", "", "  padded  ", "quote\" and back\\slash", "é", "\u2028sep",
           "emoji 👍🏽 ok", "Ελληνικά", "résumé,\r\nnext"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.ts0 = 1_700_000_000_000  # epoch ms, Nov 2023

    # ----- small helpers (all drawing from self.r so the output is deterministic)
    def digits(self, n):
        r = self.r
        return str(r.randrange(10 ** (n - 1), 10 ** n))

    def ts(self):
        return self.ts0 + self.r.randrange(0, 31_536_000_000)

    def hex64(self):
        return "%064x" % self.r.getrandbits(256)

    def email(self):
        r = self.r
        return "%s.%s%d@%s" % (r.choice(FIRST), r.choice(LAST), r.randrange(1, 9999), r.choice(DOMAINS))

    def odd_number(self):
        """A number token as the platform may write it, kept as text."""
        r = self.r
        k = r.randrange(8)
        if k == 0:
            return raw(str(r.randrange(2 ** 53 + 1, 10 ** 23)))  # beyond 2^53
        if k == 1:
            return raw("%d.%02d" % (r.randrange(0, 500), r.randrange(0, 100)))  # 1.50
        if k == 2:
            return raw("%de%d" % (r.randrange(1, 10), r.randrange(1, 9)))  # 1e5
        if k == 3:
            return raw("%d.%dE-%d" % (r.randrange(1, 10), r.randrange(0, 10), r.randrange(1, 5)))
        if k == 4:
            return raw("-0.0")
        if k == 5:
            return -r.randrange(0, 10 ** 6)
        return r.randrange(0, 10 ** 6)

    # ----- records
    def narrow_line(self):
        r = self.r
        x = r.random()
        if x < 0.10:
            return '{"emails":[]}'
        if x < 0.72:
            return '{"emails":[{"id":"%s"}]}' % self.digits(r.choice((20, 21)))
        return '{"emails":[{"id":"%s"},{"id":"%s"}]}' % (
            self.digits(r.choice((20, 21))), self.digits(r.choice((20, 21))))

    def event(self, t):
        r = self.r
        props = {
            "url": "https://www.site-%d.example.com%s" % (r.randrange(1, 40), r.choice(URL_PATHS)),
            "referrer": r.choice(("", "https://www.google.com/", "https://t.co/x9",
                                  "android-app://com.google.android.gm")),
            "category": r.choice(CATEGORIES),
        }
        if r.random() < 0.4:
            props["price"] = raw("%d.%02d" % (r.randrange(1, 300), r.randrange(0, 100)))
            props["quantity"] = r.randrange(1, 5)
            props["currency"] = "EUR"
        if r.random() < 0.2:
            props["big"] = raw(str(r.randrange(2 ** 53 + 1, 10 ** 23)))
        if r.random() < 0.2:
            props["amount"] = self.odd_number()
        if r.random() < 0.3:
            props["in_stock"] = r.random() < 0.5
        return {"name": r.choice(EVENT_NAMES), "ts": t + r.randrange(0, 60_000), "properties": props}

    def activity(self):
        r = self.r
        t = self.ts()
        return {
            "ts": t,
            "type": r.choice(ACT_TYPES),
            "channel_id": self.digits(r.choice((4, 5, 6))),
            "session_status": r.choice(("IN_SESSION", "CLOSED_SESSION")),
            "duration": r.randrange(0, 3_600_000),
            "device": {"brand": r.choice(("Apple", "Samsung", "Google", None)),
                       "browser": r.choice(BROWSERS), "os": r.choice(OS)},
            "events": [self.event(t) for _ in range(r.choice((0, 1, 1, 2, 2, 3)))],
        }

    def userpoint(self):
        r = self.r
        ne = r.choice((0, 1, 1, 1, 2, 2, 3))
        emails = [{"email": self.email(), "hash": self.hex64(), "creation_ts": self.ts()}
                  for _ in range(ne)]
        accounts = [{"user_account_id": "acc-" + self.digits(r.choice((8, 12))),
                     "compartment_id": self.digits(4)}
                    for _ in range(r.choice((0, 1, 1, 2)))]
        profiles = []
        for _ in range(r.choice((0, 1, 1, 1, 2))):
            p = {"gender": r.choice(GENDERS), "age": r.randrange(18, 90),
                 "country": r.choice(COUNTRIES), "city": r.choice(CITIES),
                 "zip": "%05d" % r.randrange(1000, 99999),
                 "loyalty": r.choice(("gold", "silver", "bronze", None)),
                 "score": self.odd_number(),
                 "opt_in": r.random() < 0.6,
                 "interests": r.sample(CATEGORIES, r.randrange(0, 4))}
            if r.random() < 0.3:
                p["big"] = raw(str(r.randrange(2 ** 53 + 1, 10 ** 23)))
            profiles.append(p)
        segments = []
        for _ in range(r.choice((0, 1, 2, 3, 4, 6))):
            s = {"id": self.digits(r.choice((4, 5, 6)))}
            if r.random() < 0.5:
                s["name"] = r.choice(SEGMENT_NAMES)
            segments.append(s)
        na = r.choice((0, 1, 2, 2, 3, 3))
        return {
            "id": self.digits(r.choice((9, 12, 16, 19))),
            "creation_ts": self.ts(),
            "emails": emails,
            "accounts": accounts,
            "profiles": profiles,
            "segments": segments,
            "activities": [self.activity() for _ in range(na)],
        }

    def wide_line(self):
        rec = self.userpoint()
        dump = lambda: _unmark(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        text = dump()
        # keep lines within 1-3 KB (characters): trim activities from the end, or add some
        while len(text) > 3000 and rec["activities"]:
            rec["activities"].pop()
            text = dump()
        while len(text) < 1000:
            rec["activities"].append(self.activity())
            text = dump()
        return text

    # ----- ragged
    def awkward(self):
        return self.r.choice(AWKWARD)

    def mangle(self, rec):
        r = self.r
        # missing keys
        for k in ("id", "creation_ts", "emails", "profiles", "segments", "accounts", "activities"):
            if r.random() < 0.06:
                del rec[k]
        # nulls
        for k in ("id", "creation_ts", "emails", "profiles", "segments"):
            if k in rec and r.random() < 0.04:
                rec[k] = None
        # type changes
        x = r.random()
        if x < 0.03 and "emails" in rec:
            rec["emails"] = "x@y.com"  # a string where an array of objects was
        elif x < 0.06 and rec.get("profiles"):
            rec["profiles"] = rec["profiles"][0]  # an object where an array was
        elif x < 0.08 and "segments" in rec:
            rec["segments"] = [1234, "5678", None, {"id": 42}]  # scalars inside the array
        elif x < 0.10 and "creation_ts" in rec:
            rec["creation_ts"] = str(rec["creation_ts"])  # number -> string
        elif x < 0.12 and "id" in rec:
            rec["id"] = int(rec["id"] or 0)  # string -> number
        elif x < 0.14 and "activities" in rec:
            rec["activities"] = {"ts": self.ts(), "events": "none"}
        elif x < 0.16 and "emails" in rec:
            rec["emails"] = [[{"email": self.email()}], {"email": None}, {}]  # nested array, null, {}
        # elements with missing / null / odd values inside arrays
        for e in rec.get("emails") or ():
            if isinstance(e, dict) and r.random() < 0.15:
                e.pop("email", None) if r.random() < 0.5 else e.update(email=r.choice((None, "", 7)))
        for p in rec.get("profiles") or () if isinstance(rec.get("profiles"), list) else ():
            if r.random() < 0.2:
                p.pop("gender", None) if r.random() < 0.5 else p.update(gender=r.choice((None, "", True)))
        for s in rec.get("segments") or ():
            if isinstance(s, dict) and r.random() < 0.1:
                s["id"] = raw(str(r.randrange(2 ** 53 + 1, 10 ** 23)))  # a numeric id beyond 2^53
        # awkward text in selected and unselected fields
        if r.random() < 0.3 and isinstance(rec.get("emails"), list) and rec["emails"]:
            e = rec["emails"][0]
            if isinstance(e, dict):
                e["email"] = self.awkward() + "@x.com"
        if r.random() < 0.3 and isinstance(rec.get("profiles"), list) and rec["profiles"]:
            rec["profiles"][0]["city"] = self.awkward()
            if r.random() < 0.3:
                rec["profiles"][0]["gender"] = self.awkward()
        if r.random() < 0.2:
            rec["note"] = self.awkward()
        if r.random() < 0.05:
            rec["empty_obj"] = {}
            rec["empty_arr"] = []
            rec["deep"] = {"a": [{"b": [[1, 2], [], [{"c": None}]]}]}

    def ragged_line(self):
        r = self.r
        rec = self.userpoint()
        if r.random() < 0.5:
            rec["activities"] = rec["activities"][:1]
        self.mangle(rec)
        if r.random() < 0.5:
            text = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))  # raw UTF-8
        else:
            text = json.dumps(rec, ensure_ascii=True)  # \u00e9 escapes, ", " and ": " spacing
        text = _unmark(text)
        if r.random() < 0.03 and text.startswith("{") and len(text) > 2:
            text = '{"id":"dup-first",' + text[1:]  # duplicate key: the last "id" wins (if any)
        return text


# ---------------------------------------------------------------------------------------------

def generate(profile, out, seed, max_bytes=None, max_lines=None, invalid_every=0, batch=2000):
    g = Gen(seed)
    make = {"narrow": g.narrow_line, "wide": g.wide_line, "ragged": g.ragged_line}[profile]
    r = g.r
    written = 0
    lines = 0
    ragged = profile == "ragged"
    if ragged:
        out.write(b"\xef\xbb\xbf")
        written += 3
    done = False
    while not done:
        items = []  # one string per output line, its line end included
        for _ in range(batch):
            if max_lines is not None and lines >= max_lines:
                done = True
                break
            line = make()
            lines += 1
            if invalid_every and lines % invalid_every == 0:
                line = r.choice(('{"id":"1","emails":[{"email":"a@b.c"}', '[1,2,3]', '"just a string"',
                                 '{"id":"2",}', '{"id":"3"} trailing', '{"id":"\\x"}', '{"a":tru}'))
            if ragged:
                y = r.random()
                if y < 0.02:
                    items.append("\n")  # blank line
                elif y < 0.03:
                    items.append("\r\n")  # blank line with CRLF
                items.append(line + ("\r\n" if r.random() < 0.2 else "\n"))
            else:
                items.append(line + "\n")
        if not items:
            break
        b = "".join(items).encode("utf-8")
        if max_bytes is not None and written + len(b) >= max_bytes:
            # stop at the first line boundary at or after max_bytes
            keep = []
            lines -= sum(1 for s in items if s not in ("\n", "\r\n"))
            for s in items:
                e = s.encode("utf-8")
                keep.append(e)
                written += len(e)
                if s not in ("\n", "\r\n"):
                    lines += 1
                if written >= max_bytes:
                    break
            out.write(b"".join(keep))
            break
        out.write(b)
        written += len(b)
    return written, lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", choices=("narrow", "wide", "ragged"))
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--mb", type=float, help="approximate size in MB (10^6 bytes)")
    size.add_argument("--lines", type=int, help="exact number of records")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--invalid-every", type=int, default=0, metavar="N",
                    help="replace every Nth record by an invalid line (default 0 = never)")
    ap.add_argument("--no-final-newline", action="store_true", help="drop the last line's newline")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    max_bytes = int(a.mb * MB) if a.mb is not None else None
    if a.output == "-":
        out = sys.stdout.buffer
        n, lines = generate(a.profile, out, a.seed, max_bytes, a.lines, a.invalid_every)
        out.flush()
    else:
        tmp = a.output + ".part"
        with open(tmp, "wb", buffering=1 << 20) as out:
            n, lines = generate(a.profile, out, a.seed, max_bytes, a.lines, a.invalid_every)
        if a.no_final_newline:
            with open(tmp, "rb+") as f:
                f.seek(-1, 2)
                if f.read(1) == b"\n":
                    f.seek(-1, 2)
                    f.truncate()
                    n -= 1
        import os
        os.replace(tmp, a.output)
    dt = time.perf_counter() - t0
    print("generate %s: %d bytes, %d lines, %.1f s (%.0f MB/s)" % (
        a.profile, n, lines, dt, n / MB / max(dt, 1e-9)), file=sys.stderr)


if __name__ == "__main__":
    main()
