"""Lighter's session endpoints: rest/SessionController.java (@Controller("/lighter/api/sessions")) of
github.com/exacaster/lighter. Statuses: POST and PUT of a session, POST of a statement and of a cancel
answer 201 (@Status(CREATED)); DELETE answers 200 with no body, known session or not (a void method);
a lookup that finds nothing answers 404. There is no completion endpoint, no batches here, and no
plain /sessions routes.
"""

from aiohttp import web

from .bodies import parse_session_params, parse_statement_code
from ..query import int_query
from .errors import LighterError, bad_request, error, json_response

PREFIX = "/lighter/api/sessions"
# rest/magic/SparkMagicCompatibility.java: only this exact header value switches the shapes.
COMPATIBILITY_HEADER = "X-Compatibility-Mode"
SPARKMAGIC = "sparkmagic"

routes = web.RouteTableDef()


def _sessions(request: web.Request):
    return request.app["lighter"]


def _sparkmagic(request: web.Request) -> bool:
    return request.headers.get(COMPATIBILITY_HEADER) == SPARKMAGIC


def _int_query(request: web.Request, name: str, default: int) -> int:
    """@QueryValue Integer with a default."""
    return int_query(request, name, default, lambda value: bad_request(
        f"Failed to convert argument [{name}] for value [{value}] due to: " f'For input string: "{value}"'))


def _require_json(request: web.Request) -> None:
    """Micronaut controllers consume application/json: a body declared as anything else is a 415
    (no Content-Type at all is taken as JSON)."""
    if "Content-Type" in request.headers and request.content_type != "application/json" \
            and not request.content_type.endswith("+json"):
        raise LighterError(415, error(f"Content Type [{request.content_type}] not allowed. "
                                      f"Allowed types: [application/json]"))


@routes.get(PREFIX)
async def list_sessions(request: web.Request) -> web.Response:
    """rest/magic/SessionList.java with the sparkmagic header, application/ApplicationList.java
    without; `total` is the size of this page."""
    start, size = _int_query(request, "from", 0), _int_query(request, "size", 100)
    page = [s.to_json() for s in _sessions(request).page(start, size)]
    key = "sessions" if _sparkmagic(request) else "applications"
    return json_response({"from": start, "total": len(page), key: page})


@routes.post(PREFIX)
async def create_session(request: web.Request) -> web.Response:
    _require_json(request)
    params = parse_session_params(await request.read())
    return json_response(await _sessions(request).create(params), 201)


@routes.put(PREFIX + "/{id}")
async def insert_session(request: web.Request) -> web.Response:
    _require_json(request)
    params = parse_session_params(await request.read())
    return json_response(await _sessions(request).create(params, request.match_info["id"]), 201)


@routes.get(PREFIX + "/{id}")
async def get_session(request: web.Request) -> web.Response:
    return json_response(_sessions(request).get(request.match_info["id"]).to_json())


@routes.delete(PREFIX + "/{id}")
async def delete_session(request: web.Request) -> web.Response:
    await _sessions(request).delete(request.match_info["id"])
    return web.Response(status=200)


@routes.get(PREFIX + "/{id}/state")
async def get_state(request: web.Request) -> web.Response:
    """"For backwards compatibility with livy": the whole Application, not {id, state}."""
    return json_response(_sessions(request).get(request.match_info["id"]).to_json())


@routes.get(PREFIX + "/{id}/log")
async def get_log(request: web.Request) -> web.Response:
    return json_response(_sessions(request).log_json(request.match_info["id"], _sparkmagic(request)))


@routes.post(PREFIX + "/{id}/statements")
async def create_statement(request: web.Request) -> web.Response:
    _require_json(request)
    code = parse_statement_code(await request.read())
    return json_response(_sessions(request).create_statement(request.match_info["id"], code), 201)


@routes.get(PREFIX + "/{id}/statements")
async def list_statements(request: web.Request) -> web.Response:
    """application/sessions/StatementList.java: {from, statements}, no total."""
    start, size = _int_query(request, "from", 0), _int_query(request, "size", 100)
    page = _sessions(request).statement_page(request.match_info["id"], start, size)
    return json_response({"from": start, "statements": [s.to_json() for s in page]})


@routes.get(PREFIX + "/{id}/statements/{sid}")
async def get_statement(request: web.Request) -> web.Response:
    return json_response(_sessions(request).statement(request.match_info["id"], request.match_info["sid"]).to_json())


@routes.post(PREFIX + "/{id}/statements/{sid}/cancel")
async def cancel_statement(request: web.Request) -> web.Response:
    return json_response(_sessions(request).cancel(request.match_info["id"], request.match_info["sid"]), 201)
