"""Completion for pyspark statements: names from the session's namespace
(rlcompleter, as the interactive Python prompt completes).

Not in Livy, whose Python interpreter always answers []. Candidates have
the Scala completer's shape: the names that can replace the word being
typed (for "spark.ran" that is "range"), without rlcompleter's "(" or ":".
"""

import re
import rlcompleter

# The dotted name that ends at the cursor: rlcompleter evaluates only the part
# before the last dot, and only plain names and attributes (never calls).
_WORD = re.compile(r"[A-Za-z_][\w.]*$")


def python_completions(namespace: dict, code: str, cursor: int) -> list[str]:
    match = _WORD.search(code[:max(0, cursor)])
    if match is None:
        return []
    text = match.group()
    completer = rlcompleter.Completer(namespace)
    names = set()
    state = 0
    while (found := completer.complete(text, state)) is not None:
        names.add(found.rsplit(".", 1)[-1].rstrip("(: "))
        state += 1
    return sorted(names)
