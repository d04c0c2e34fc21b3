"""Session and statement kinds with Livy's aliases (Kind.scala)."""

ALIASES = {
    "spark": "spark", "scala": "spark",
    "pyspark": "pyspark", "python": "pyspark",
    "sparkr": "sparkr", "r": "sparkr",
    "sql": "sql",
}
SHARED = "shared"


class BadKind(ValueError):
    pass


def canonical_kind(value: str, allow_shared: bool) -> str:
    """Maps a kind or alias to its canonical name; anything else (e.g. the
    removed "pyspark3") is rejected as Jackson rejects an unknown enum value."""
    if allow_shared and value == SHARED:
        return SHARED
    if value in ALIASES:
        return ALIASES[value]
    raise BadKind(f"Invalid kind: {value} (through reference chain: "
                  f"org.apache.livy.server.interactive.CreateInteractiveRequest[\"kind\"])")

# Internal, never accepted from a request (canonical_kind rejects it): statements of a
# `--dialect lighter` session, run as Lighter's shell_wrapper.py runs them (driver/lighter_shell.py).
LIGHTER_PYTHON = "lighter-python"
