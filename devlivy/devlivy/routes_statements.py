"""Statement endpoints and completion (docs/livy-rest.md §3.1-§3.5, §4)."""

from aiohttp import web

from .http_errors import json_response, msg
from .query import int_query
from .request_bodies import parse_completion, parse_statement

routes = web.RouteTableDef()


@routes.post("/sessions/{session}/statements")
async def submit_statement(request: web.Request) -> web.Response:
    session = _session(request)
    body = parse_statement(await request.read())
    created = session.submit(body.code, body.kind)
    location = f"/sessions/{session.id}/statements/{created['id']}"
    return json_response(created, 201, headers={"Location": location})


@routes.get("/sessions/{session}/statements")
async def list_statements(request: web.Request) -> web.Response:
    statements = _session(request).statement_list()
    if request.query.get("order") == "desc":
        statements.reverse()  # Livy reverses before slicing
    start = _int(request, "from", 0)
    size = _int(request, "size", len(statements))
    page = statements[start:start + size]
    return json_response({"total_statements": len(statements), "statements": [s.to_json() for s in page]})


@routes.get("/sessions/{session}/statements/{statement}")
async def get_statement(request: web.Request) -> web.Response:
    session = _session(request)
    return json_response(session.statement(_statement_id(request)).to_json())


@routes.post("/sessions/{session}/statements/{statement}/cancel")
async def cancel_statement(request: web.Request) -> web.Response:
    _session(request).cancel(_statement_id(request))
    return json_response({"msg": "canceled"})


@routes.post("/sessions/{session}/completion")
async def completion(request: web.Request) -> web.Response:
    session = _session(request)
    body = parse_completion(await request.read())
    # Scala completes as in Livy; pyspark too (Livy answers [] there); sql and sparkr give [].
    return json_response({"candidates": await session.complete(body.code, body.kind, body.cursor)})


def _session(request: web.Request):
    return request.app["manager"].get(request.match_info["session"])


def _statement_id(request: web.Request) -> int:
    token = request.match_info["statement"]
    if not token.isdigit():
        raise msg(400, f'For input string: "{token}"')
    return int(token)


def _int(request: web.Request, name: str, default: int) -> int:
    return int_query(request, name, default, lambda value: msg(400, f'For input string: "{value}"'))
