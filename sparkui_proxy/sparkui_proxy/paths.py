"""Parsing `{base_url}spark/{user}/{port}/{rest}` and building what goes upstream. Pure functions.

Everything is decided on the raw (still percent-encoded) request path, so that an encoded `/`,
`\\` or `.` cannot turn into a different path after the checks.
"""
from __future__ import annotations

import dataclasses
import re
import urllib.parse

# A port as the kernel writes it: decimal, no sign, no leading zero.
_PORT = re.compile(r"[1-9][0-9]{0,4}")
# Characters a user segment may carry once decoded (the kernel percent-encodes anything else).
_BAD_IN_SEGMENT = re.compile(r"[/\\\x00-\x1f\x7f]")
# Encoded forms that must never reach the driver: `/`, `\`, `.`, `%` itself (double encoding), NUL.
_ENCODED_DANGER = re.compile(r"%(2f|5c|2e|25|00)", re.IGNORECASE)


class BadPath(Exception):
    """A request path the proxy refuses to forward (answered 404, nothing goes upstream)."""


@dataclasses.dataclass(frozen=True)
class ProxyPath:
    user: str          # decoded user name
    user_segment: str  # as it appears in the URL
    port: int
    rest: str          # raw path to forward, always starting with "/"
    bare: bool         # the request was the prefix without its trailing slash


def user_segment(user: str) -> str:
    """How the kernel writes a user name into the path (SparkUILink.pathSegment)."""
    return urllib.parse.quote(user, safe="-._~")


def parse(raw_path: str, base_url: str) -> ProxyPath:
    """Splits a raw request path under `{base_url}spark/`. Raises BadPath for anything odd."""
    prefix = base_url.rstrip("/") + "/spark/"
    if not raw_path.startswith(prefix):
        raise BadPath("not a Spark UI path")
    user_raw, sep, after = raw_path[len(prefix):].partition("/")
    port_raw, sep2, rest = after.partition("/")
    if not sep or not user_raw or not port_raw:
        raise BadPath("expected /spark/{user}/{port}/")
    try:
        user = urllib.parse.unquote(user_raw, errors="strict")
    except UnicodeDecodeError as error:
        raise BadPath("user segment is not UTF-8") from error
    if _BAD_IN_SEGMENT.search(user) or user in (".", ".."):
        raise BadPath("bad user segment")
    if not _PORT.fullmatch(port_raw) or int(port_raw) > 65535:
        raise BadPath("bad port")
    rest = "/" + rest
    check_rest(rest)
    return ProxyPath(user=user, user_segment=user_raw, port=int(port_raw), rest=rest, bare=not sep2)


def check_rest(rest: str) -> None:
    """The forwarded path must be a plain absolute path on the driver: no dot segments, no
    encoded separators, no `//` (which some clients read as an authority), no backslashes."""
    if _ENCODED_DANGER.search(rest):
        raise BadPath("encoded separator or dot in path")
    if "\\" in rest or "//" in rest or "#" in rest:
        raise BadPath("bad characters in path")
    try:
        decoded = urllib.parse.unquote(rest, errors="strict")
    except UnicodeDecodeError as error:
        raise BadPath("path is not UTF-8") from error
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in decoded):
        raise BadPath("control characters in path")
    for segment in decoded.split("/"):
        if segment in (".", ".."):
            raise BadPath("dot segment in path")


def strip_query_token(query: str) -> str:
    """The query string to forward: Jupyter's `token` parameter is Jupyter's, never the driver's."""
    if not query:
        return ""
    kept = [part for part in query.split("&") if part.split("=", 1)[0] != "token"]
    return "&".join(kept)


def rewrite_location(location: str, *, upstream_authorities: set[str], public_prefix: str) -> str:
    """Maps a redirect of the driver back under the proxy prefix.

    Spark answers with absolute URLs built from the Host it saw (`http://127.0.0.1:4040/jobs/`) or
    with bare paths (Jetty's `/jobs` -> `/jobs/`), never with the prefix unless
    `spark.ui.proxyRedirectUri` is set, in which case a Location already under the prefix is kept.
    Redirects to other hosts are left alone (they are the driver's own links, not ours to route).
    """
    parts = urllib.parse.urlsplit(location)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in upstream_authorities:
            return location
    elif not parts.path.startswith("/"):
        return location  # relative to the current URL: already under the prefix
    path = parts.path or "/"
    if path == public_prefix or path.startswith(public_prefix + "/"):
        new_path = path
    else:
        new_path = public_prefix + path
    return urllib.parse.urlunsplit(("", "", new_path, parts.query, parts.fragment))
