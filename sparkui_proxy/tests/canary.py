"""Canary HTTP servers: they answer 200 and record every request that reaches them, so a test can
prove a request did (or did not) get through the proxy."""
import http.server
import threading


class Canary:
    """An HTTP server on loopback that answers 200 and records every request that reaches it."""

    def __init__(self, host: str = "127.0.0.1"):
        hits = self.hits = []
        release = self.release = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append((self.command, self.path, dict(self.headers)))
                if self.path == "/stream":  # one chunk now, the next only when the test says so
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"first\n")
                    self.wfile.flush()
                    release.wait(20)
                    self.wfile.write(b"second\n")
                    return
                if self.path.startswith("/redirect-me"):  # as Spark: absolute, from the Host it saw
                    self.send_response(302)
                    self.send_header("Location", f"http://{self.headers['Host']}/jobs/?from=redirect")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = f"canary {self.server.server_address[1]} {self.path}".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                if self.path.startswith("/frame-anywhere"):  # a driver whose UI lets any site frame it
                    self.send_header("X-Frame-Options", "ALLOW-FROM https://elsewhere.example")
                    self.send_header("Content-Security-Policy", "frame-ancestors *")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.host = host
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
