"""A counting reverse proxy in front of the dev Livy server (bench only).

    python bench/count_proxy.py --upstream http://127.0.0.1:PORT --port PORT2

Forwards every request unchanged to the upstream and remembers, for each, (time received, method,
path, time the response was handed back, status, response bytes).
`GET /__bench__/requests` returns that list as JSON (it is not itself counted), so the harness can
count the HTTP requests a kernel made to Livy in a time window — at the server, not as the
kernel reports them. Loopback only.
"""
import argparse
import time

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}


def build_app(upstream: str) -> web.Application:
    log: list[list] = []

    async def on_startup(app):
        app["client"] = aiohttp.ClientSession(auto_decompress=False,
                                              timeout=aiohttp.ClientTimeout(total=None))

    async def on_cleanup(app):
        await app["client"].close()

    async def requests_log(request: web.Request) -> web.Response:
        return web.json_response(log)

    async def forward(request: web.Request) -> web.StreamResponse:
        entry = [time.time(), request.method, request.path_qs, None, None, None]
        log.append(entry)
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        async with request.app["client"].request(request.method, upstream + request.path_qs, headers=headers,
                                                 data=body or None, allow_redirects=False) as upstream_response:
            payload = await upstream_response.read()
            out_headers = {k: v for k, v in upstream_response.headers.items() if k.lower() not in HOP_BY_HOP}
            response = web.Response(status=upstream_response.status, body=payload, headers=out_headers)
            await response.prepare(request)
            await response.write_eof()
            entry[3:] = [time.time(), upstream_response.status, len(payload)]
            return response

    app = web.Application(client_max_size=1024 ** 3)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    app.router.add_get("/__bench__/requests", requests_log)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(build_app(args.upstream.rstrip("/")), host="127.0.0.1", port=args.port, print=None,
                access_log=None)


if __name__ == "__main__":
    main()
