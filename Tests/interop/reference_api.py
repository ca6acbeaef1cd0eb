#!/usr/bin/env python3
"""An independent stand-in of the Query Exports API, written from the reference alone
(Python standard library, HTTP/1.0 like many simple servers), to check mics-export from
outside the Swift code. Listens on 127.0.0.1, prints its port, serves until killed.

Deliberately unlike the Swift sandbox: lists carry no "total" and only "max_result",
executions come oldest-first with creation dates, HEAD is not implemented (501), Range is
ignored (always 200), and the first download of a file drops its connection mid-body.
"""
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKEN = sys.argv[1] if len(sys.argv) > 1 else "interop-token-1234"
ORG = "1426"
LINES = b"".join(
    b'{"id":"%d","emails":[{"email":"p%d@example.org"}],"profiles":[{"gender":"F"}]}\n' % (10**20 + n * 7919, n)
    for n in range(3000)
)
EXPORTS = [
    {"type": "QUERY", "id": str(100 + n), "organisation_id": ORG, "name": "export %d" % n,
     "query_id": str(200 + n), "datamart_id": "1509", "output_format": "JSON"}
    for n in range(7)
]
EXECUTIONS = {  # oldest first
    "100": [
        {"id": "900", "status": "SUCCEEDED", "organisation_id": ORG, "creation_date": 1562595783663,
         "result": {"output_files": ["export"]}, "error": None, "num_tasks": None, "completed_tasks": None},
        {"id": "901", "status": "SUCCEEDED", "organisation_id": ORG, "creation_date": 1562595999999,
         "result": {"output_files": ["export"]}, "error": None, "num_tasks": 10, "completed_tasks": 10},
    ],
    "101": [
        {"id": "902", "status": "LOST", "organisation_id": ORG, "creation_date": 1562595783663,
         "result": None, "error": "executor lost", "num_tasks": None, "completed_tasks": None},
    ],
}
QUERY = {"id": "200", "datamart_id": "1509", "query_language": "OTQL",
         "query_text": "select { id emails { email } profiles { gender } } from UserPoint # all"}
dropped = set()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, code, text):
        self.send_json(code, {"status": "error", "error": text, "error_id": "0ea6b1c2-interop"})

    def do_GET(self):
        if self.headers.get("Authorization") != TOKEN:
            return self.error(401, "Authentication failed")
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        if parts == ["v1", "exports"]:
            items = [e for e in EXPORTS if e["organisation_id"] == q.get("organisation_id")]
            first, size = int(q.get("first_result", 0)), min(int(q.get("max_results", 3)), 3)
            page = items[first:first + size]
            return self.send_json(200, {"status": "ok", "data": page, "count": len(page),
                                        "first_result": first, "max_result": size})
        if len(parts) == 3 and parts[:2] == ["v1", "exports"]:
            hits = [e for e in EXPORTS if e["id"] == parts[2]]
            return self.send_json(200, {"status": "ok", "data": hits[0]}) if hits else self.error(404, "Resource Not Found")
        if len(parts) == 4 and parts[3] == "executions":
            items = EXECUTIONS.get(parts[2], [])
            return self.send_json(200, {"status": "ok", "data": items, "count": len(items), "total": len(items)})
        if len(parts) == 5 and parts[:2] == ["v1", "datamarts"] and parts[4] == "200":
            return self.send_json(200, {"status": "ok", "data": QUERY})
        if len(parts) == 7 and parts[5] == "files" and parts[6] == "technical_name=export":
            return self.send_file(parts[4])
        if parts == ["v1", "data_file", "data"]:
            uri = q.get("uri", "")
            if uri == "mics://data_file/tenants/%s/jobs/executions/902/result/export.error" % ORG:
                body = b"executor lost while reading segment 12\n"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return self.wfile.write(body)
        return self.error(404, "Resource Not Found")

    def send_file(self, execution):
        self.send_response(200)  # Range ignored on purpose
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Content-Length", str(len(LINES)))
        self.end_headers()
        if execution not in dropped:
            dropped.add(execution)
            self.wfile.write(LINES[:50_001])
            self.wfile.flush()
            self.connection.shutdown(2)  # drop mid-body
            return
        self.wfile.write(LINES)


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
