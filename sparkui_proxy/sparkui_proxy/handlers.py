"""The proxy handler: `{base_url}spark/{user}/{port}/{rest}` -> `http://{driver_host}:{port}/{rest}`.

Nothing is sent to a driver unless, in this order: the request is authenticated by Jupyter,
`{user}` is the authenticated user, `{port}` has a record of that user whose kernel is alive, the
record names a driver host from `allowed_driver_hosts`, and (when Livy answers) Livy says the
session is live. The target host and port come from the record only, never from the request.
"""
from __future__ import annotations

import html
import http.client
import urllib.parse

from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from tornado.httpclient import HTTPRequest
from tornado.httputil import HTTPHeaders
from tornado.iostream import StreamClosedError

from . import identity, paths, records

# Headers that belong to one connection, or to Jupyter, and are never forwarded upstream.
_REQUEST_HEADERS_DROPPED = {
    "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "content-length", "cookie", "authorization", "x-xsrftoken",
    "x-csrftoken", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-context",
    "x-forwarded-port", "forwarded", "expect",
}
# Headers of the driver's answer that are not passed back: per connection, or Jupyter's to set.
_RESPONSE_HEADERS_DROPPED = {
    "connection", "keep-alive", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade",
    "set-cookie", "server", "date", "x-frame-options",
}
# Several values of these are kept side by side (Jupyter's own CSP stays in force too).
_RESPONSE_HEADERS_ADDED = {"content-security-policy", "vary", "link", "warning"}


class SparkUIProxyHandler(JupyterHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST")

    def initialize(self, proxy):
        self.proxy = proxy
        self._upstream_status_set = False
        self._client_gone = False
        self._target = None

    async def prepare(self):
        # 403 (never a login redirect) for unauthenticated requests, as for Jupyter's APIs;
        # write_error turns it into a page with a login link.
        await super().prepare(_redirect_to_login=False)
        if self.current_user is None:
            raise web.HTTPError(403)

    def compute_etag(self):
        return None  # the driver's own validators pass through

    def check_xsrf_cookie(self):
        """The Spark UI's kill buttons are plain same-origin HTML forms without Jupyter's `_xsrf`;
        accept a POST when the browser says it comes from this origin, and refuse cross-site ones."""
        try:
            return super().check_xsrf_cookie()
        except web.HTTPError:
            if self.request.method in ("GET", "HEAD") or self._same_origin():
                return None
            raise

    def _same_origin(self) -> bool:
        origin = self.request.headers.get("Origin")
        if origin:
            return urllib.parse.urlsplit(origin).netloc.lower() == self.request.host.lower()
        referer = urllib.parse.urlsplit(self.request.headers.get("Referer", ""))
        return (referer.netloc.lower() == self.request.host.lower()
                and referer.path.startswith(self.base_url.rstrip("/") + "/spark/"))

    def on_connection_close(self):
        self._client_gone = True

    # ----- entry points ---------------------------------------------------------------------

    @web.authenticated
    async def get(self):
        await self._serve()

    @web.authenticated
    async def head(self):
        await self._serve()

    @web.authenticated
    async def post(self):
        await self._serve()

    # ----- authorization ------------------------------------------------------------------

    async def _serve(self):
        try:
            target = paths.parse(self.request.path, self.base_url)
        except paths.BadPath as error:
            raise web.HTTPError(404, f"Not a Spark UI path: {error}") from None
        user = identity.request_user(self.current_user, configured=self.proxy.user, hub=self.proxy.under_hub())
        if user is None:
            raise web.HTTPError(403)
        if target.user != user:
            raise web.HTTPError(403, f"This Spark UI belongs to another user; you are signed in as {user!r}.")
        public_prefix = self.base_url.rstrip("/") + "/spark/" + target.user_segment + "/" + str(target.port)

        try:
            record = records.read_record(records.pathlib.Path(self.proxy.runtime_dir), target.port)
        except records.RecordError as error:
            self.log.warning("Spark UI proxy: %s", error)
            record = None
        if record is None or record.user != user:
            raise web.HTTPError(404, f"No live Spark session of {user!r} has its UI on port {target.port}.")
        if not records.process_is_alive(record.pid):
            raise web.HTTPError(404, f"The session on port {target.port} has ended (its kernel is gone).")
        if not record.ready:
            raise web.HTTPError(503, f"The Spark session on port {target.port} is still starting; "
                                     "try again when the notebook shows it is ready.")
        host = record.driver_host.strip().lower()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if host not in {h.lower() for h in self.proxy.allowed_driver_hosts}:
            self.log.warning("Spark UI proxy: driver host %r of port %s is not in allowed_driver_hosts",
                             record.driver_host, target.port)
            raise web.HTTPError(403, f"The driver host {record.driver_host!r} is not allowed "
                                     "(c.SparkUIProxy.allowed_driver_hosts).")
        if self.proxy.check_livy_state and record.livy_url:
            ended = await self.proxy.livy_states.is_ended(record.livy_url, record.session_id)
            if ended:
                raise web.HTTPError(404, f"Livy session {record.session_id} has ended.")

        if target.bare:
            query = self.request.query
            self.redirect(public_prefix + "/" + ("?" + query if query else ""), permanent=False)
            return
        await self._forward(host, target, record, public_prefix)

    # ----- forwarding ---------------------------------------------------------------------

    async def _forward(self, host, target, record, public_prefix):
        url_host = f"[{host}]" if ":" in host else host
        authority = f"{url_host}:{target.port}"
        query = paths.strip_query_token(self.request.query)
        url = f"http://{authority}{target.rest}" + (f"?{query}" if query else "")
        self._target = dict(url=url, session_id=record.session_id, port=target.port, host=record.driver_host)

        headers = HTTPHeaders()
        for name, value in self.request.headers.get_all():
            if name.lower() not in _REQUEST_HEADERS_DROPPED:
                headers.add(name, value)
        headers["Host"] = authority
        headers["X-Forwarded-Context"] = public_prefix
        headers["X-Forwarded-For"] = self.request.remote_ip or ""
        headers["X-Forwarded-Proto"] = self.request.protocol
        headers["X-Forwarded-Host"] = self.request.host
        body = None
        if self.request.method == "POST":
            body = self.request.body or b""
            # Jupyter's token may ride in the form; it is not the driver's.
            if body and headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                body = paths.strip_query_token(body.decode("latin-1")).encode("latin-1")

        authorities = {authority.lower(), f"{host}:{target.port}".lower()}
        if host in ("localhost", "127.0.0.1", "::1"):
            authorities |= {f"localhost:{target.port}", f"127.0.0.1:{target.port}", f"[::1]:{target.port}"}
        self._response_lines: list[str] = []

        def on_header(line: str):
            if line.startswith("HTTP/"):
                self._response_lines = [line]
            elif line in ("\r\n", "\n", ""):
                self._start_response(public_prefix, authorities)
            else:
                self._response_lines.append(line)

        def on_chunk(chunk: bytes):
            if self._client_gone:
                return
            self._start_response(public_prefix, authorities)
            self.write(chunk)
            # No await possible here: a client that went away only sets a failed future.
            self.flush().add_done_callback(_ignore_result)

        request = HTTPRequest(
            url, method=self.request.method, headers=headers, body=body,
            follow_redirects=False, decompress_response=False,
            connect_timeout=self.proxy.connect_timeout, request_timeout=self.proxy.request_timeout,
            header_callback=on_header, streaming_callback=on_chunk,
            allow_nonstandard_methods=True,
        )
        try:
            response = await self.proxy.http_client.fetch(request, raise_error=False)
            error = response.error if response.code == 599 else None
        except Exception as failure:  # refused, reset, DNS, timeout: tornado raises these regardless
            response, error = None, failure
        if error is not None:
            reason = (getattr(error, "strerror", None) or str(error) or type(error).__name__)
            if self._upstream_status_set:
                # Headers already went out: the body is cut; closing tells the browser so.
                self.log.warning("Spark UI proxy: %s broke off: %s", url, reason)
                self.request.connection.close()
                return
            self._bad_gateway(reason)
            return
        self._start_response(public_prefix, authorities)
        if not self._client_gone:
            try:
                await self.finish()
            except StreamClosedError:
                pass

    def _start_response(self, public_prefix, authorities):
        if self._upstream_status_set or not self._response_lines:
            return
        self._upstream_status_set = True
        status_line = self._response_lines[0].strip()
        try:
            _, code, *reason = status_line.split(" ", 2)
            code = int(code)
        except ValueError:
            code, reason = 502, ["Bad Gateway"]
        upstream = HTTPHeaders()
        for line in self._response_lines[1:]:
            upstream.parse_line(line)
        self.set_status(code, reason=(reason[0] if reason else None) or http.client.responses.get(code, "Unknown"))
        self.clear_header("Content-Type")
        for name in {n for n, _ in upstream.get_all()}:
            lower = name.lower()
            if lower in _RESPONSE_HEADERS_DROPPED:
                continue
            values = upstream.get_list(name)
            if lower == "location":
                values = [paths.rewrite_location(values[0], upstream_authorities=authorities,
                                                 public_prefix=public_prefix)]
            if lower in _RESPONSE_HEADERS_ADDED:
                for value in values:
                    self.add_header(name, value)
            else:
                self.set_header(name, values[0])
                for value in values[1:]:
                    self.add_header(name, value)
        # `%spark_ui` frames the UI in the notebook: Jupyter's own pages may, no other site may,
        # whatever the driver allows (spark.ui.allowFramingFrom). Jupyter's CSP, which stays in
        # force beside the driver's, says the same with frame-ancestors 'self'.
        self.set_header("X-Frame-Options", "SAMEORIGIN")

    def _bad_gateway(self, reason: str):
        target = self._target or {}
        self.set_status(502)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_page(
            "Spark UI not reachable",
            f"The Spark UI of Livy session {target.get('session_id')} (driver {target.get('host')}, "
            f"port {target.get('port')}) did not answer: {reason}.",
            "The Spark driver may have stopped or be busy starting up. If the notebook's session ended, "
            "run a cell to start a new one; the notebook then shows the new Spark UI link.",
        ))

    # ----- error pages ----------------------------------------------------------------------

    def _sign_in_url(self) -> str:
        """Where this server signs a browser in, coming back here afterwards: its own login page
        (`{base_url}login?next=…`), or under JupyterHub the hub's OAuth authorize URL (whose state
        carries the way back), as tornado's `authenticated` builds it from `get_login_url()`."""
        try:
            url = self.get_login_url()
        except Exception:  # noqa: BLE001 - an error page must not fail over its link
            url = self.base_url + "login"
        if "?" not in url:
            url += "?" + urllib.parse.urlencode({"next": self.request.uri})
        return url

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = getattr(exc, "log_message", None) or http.client.responses.get(status_code, "Error")
        hint = ""
        if status_code == 403 and self.current_user is None:
            message = "You are not signed in to this Jupyter server."
            hint = f'<a href="{html.escape(self._sign_in_url())}">Sign in</a>, then open the link again.'
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        if status_code == 503:
            self.set_header("Retry-After", "5")
        self.finish(_page(f"{status_code} {http.client.responses.get(status_code, '')}", message, hint,
                          escape_hint=False))


def _ignore_result(future):
    future.exception()


def _page(title: str, message: str, hint: str = "", escape_hint: bool = True) -> str:
    hint_html = html.escape(hint) if escape_hint else hint
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.escape(title) + "</title></head>"
        "<body style=\"font-family: sans-serif; margin: 2em\"><h1>" + html.escape(title) + "</h1>"
        "<p>" + html.escape(message) + "</p>" + (f"<p>{hint_html}</p>" if hint else "") + "</body></html>\n"
    )
