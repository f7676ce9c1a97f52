#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""fake_lapi.py: CrowdSec's Local API as Debian 12's crowdsec 1.4.6 answers,
for tests/system/test_lapi.c.  Standard library only; binds 127.0.0.1.

    fake_lapi.py --dir DIR --key-file FILE [--max-seconds 120]

Prints its port, then serves until killed or --max-seconds:
  GET /health                            200 {"status":"up"}
  /v1/decisions* without the key of FILE 403 {"message":"access forbidden"}
  GET /v1/decisions/stream?startup=true  DIR/startup.json
  GET /v1/decisions/stream               the first DIR/delta-N.json not served
                                         yet (N = 1, 2, ...; renamed to
                                         .served once sent), else nothing new
Each request is appended to DIR/requests.log ("startup", "delta" or
"forbidden" and the file served); never the key.  The test writes the
answers; the shapes are the real ones (tests/data/crowdsec146/): compact,
no trailing newline, "deleted" before "new", null for an empty side, the
headers of gin (Content-Type with charset, Content-Length, no Server).
"""
import argparse
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

EMPTY = b'{"deleted":null,"new":null}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--key-file", required=True)
    ap.add_argument("--max-seconds", type=float, default=120)
    a = ap.parse_args()
    lock = threading.Lock()

    def key():
        with open(a.key_file, "rb") as f:
            return f.read().strip().decode()

    def log(what):
        with open(os.path.join(a.dir, "requests.log"), "a") as f:
            f.write(what + "\n")

    def next_delta():
        n = 1
        while os.path.exists(os.path.join(a.dir, "delta-%d.json.served" % n)):
            n += 1
        path = os.path.join(a.dir, "delta-%d.json" % n)
        if not os.path.exists(path):
            return None, EMPTY
        with open(path, "rb") as f:
            body = f.read()
        os.rename(path, path + ".served")
        return os.path.basename(path), body

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send(self, code, data):
            self.send_response_only(code)  # no Server: header, like gin
            self.send_header("Date", self.date_time_string())
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            u = urlsplit(self.path)
            q = parse_qs(u.query)
            if u.path == "/health":
                return self.send(200, b'{"status":"up"}')
            if not u.path.startswith("/v1/decisions"):
                return self.send(404, b"404 page not found")
            if self.headers.get("X-Api-Key") != key():
                log("forbidden")
                return self.send(403, b'{"message":"access forbidden"}')
            if u.path != "/v1/decisions/stream":
                return self.send(404, b"404 page not found")
            with lock:
                if q.get("startup", [""])[0] == "true":
                    path = os.path.join(a.dir, "startup.json")
                    body = EMPTY
                    if os.path.exists(path):
                        with open(path, "rb") as f:
                            body = f.read()
                    log("startup")
                else:
                    name, body = next_delta()
                    log("delta" + (" " + name if name else ""))
            return self.send(200, body)

        def log_message(self, fmt, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()
    srv.server_close()


if __name__ == "__main__":
    main()
