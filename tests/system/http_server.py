#!/usr/bin/env python3
"""A feed server for tests/test_fetch.c, on 127.0.0.1 only.

Prints its port, then serves until killed or for 120 seconds at most:
  /ok.txt     200 with Last-Modified and ETag; 304 on a matching condition
  /notfound   404            /error      500
  /truncated  Content-Length larger than the body, then the connection closes
  /empty      200, no body   /big        200, 2 MiB
  /chunked    200, 3 MiB in chunks (no Content-Length), bounded in time
  /slow       answers after 5 seconds
  POST /hook  (tests/system/test_alerts.c) 200; each body is appended, one a
              line, to the file $HOOK_LOG     POST /hook500  500, kept too
"""
import http.server
import os
import socketserver
import sys
import threading
import time

BODY = b"# test feed\n198.51.100.7\n203.0.113.0/24\n"
ETAG = '"v1"'
MODIFIED = "Thu, 26 Nov 2026 10:00:00 GMT"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k == "Content-Length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p == "/ok.txt":
            if self.headers.get("If-None-Match") == ETAG or \
                    self.headers.get("If-Modified-Since") == MODIFIED:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self.send(200, BODY, [("ETag", ETAG), ("Last-Modified", MODIFIED)])
        elif p == "/notfound":
            self.send(404, b"no such list\n")
        elif p == "/error":
            self.send(500, b"oops\n")
        elif p == "/truncated":
            self.send(200, BODY[:20], [("Content-Length", "1000")])
            self.close_connection = True
        elif p == "/empty":
            self.send(200, b"")
        elif p == "/big":
            self.send(200, b"198.51.100.1\n" * (2 * 1024 * 1024 // 13))
        elif p == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"198.51.100.1\n" * 5000
            try:
                for _ in range(48):  # about 3 MiB, or until the client stops
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif p == "/slow":
            time.sleep(5)
            self.send(200, BODY)
        else:
            self.send(404)


    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path in ("/hook", "/hook500") and os.environ.get("HOOK_LOG"):
            with open(os.environ["HOOK_LOG"], "ab") as f:
                f.write(body.replace(b"\n", b" ") + b"\n")
            self.send(200 if self.path == "/hook" else 500, b"ok\n")
        else:
            self.send(404)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up (size and time limits) are expected here


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
threading.Timer(120, srv.shutdown).start()
srv.serve_forever()
