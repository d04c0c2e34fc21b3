"""The error bodies Livy sends, as one exception type the middleware renders.

Livy uses two JSON shapes: an object {"msg": ...} for its own messages and a
bare JSON string for Jackson failures and rendered exceptions (docs/livy-rest.md §6.1).
"""

import json

from aiohttp import web


class LivyError(Exception):
    def __init__(self, status: int, body):
        super().__init__(body)
        self.status = status
        self.body = body

    def response(self) -> web.Response:
        return json_response(self.body, self.status)


def msg(status: int, text: str) -> LivyError:
    return LivyError(status, {"msg": text})


def bare(status: int, text: str) -> LivyError:
    return LivyError(status, text)


def session_not_found(token: str) -> LivyError:
    return msg(404, f"Session '{token}' not found.")


def not_ready(state: str) -> LivyError:
    return bare(500, f"java.lang.IllegalStateException: Session is in state {state}")


def json_response(body, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        text=json.dumps(body), status=status, content_type="application/json", headers=headers
    )
