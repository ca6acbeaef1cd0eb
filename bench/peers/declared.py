"""What the CSV peers share: their command line, and the DuckDB and polars column declaration.

`key` is a top-level scalar; `array.field` a field of the elements of a top-level array.
Returns {key: None (scalar) or [fields]} in first-seen order; deeper paths stop the peer.
"""

import argparse


def peer_arguments(threads=True):
    """IN OUT --columns C,C [--sep S] [--threads N]: the parser, for a peer to add its own to."""
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--columns", required=True)
    ap.add_argument("--sep", default="|")
    if threads:
        ap.add_argument("--threads", type=int, default=1)
    return ap


def declared_columns(cols, tool):
    decl = {}
    for c in cols:
        parts = c.split(".")
        if len(parts) == 1:
            decl.setdefault(parts[0], None)
        elif len(parts) == 2:
            fields = decl.get(parts[0]) or []
            if parts[1] not in fields:
                fields.append(parts[1])
            decl[parts[0]] = fields
        else:
            raise SystemExit("%s: only paths of depth 1 or 2 are supported: %s" % (tool, c))
    return decl
