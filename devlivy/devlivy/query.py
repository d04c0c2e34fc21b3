"""Query parameters both dialects read as numbers (`from`, `size`)."""
from collections.abc import Callable

from aiohttp import web


def int_query(request: web.Request, name: str, default, refuse: Callable[[str], Exception]):
    """The parameter as an int, `default` when absent; `refuse(value)` is the server's own error
    for a value that is not a number."""
    value = request.query.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise refuse(value) from None
