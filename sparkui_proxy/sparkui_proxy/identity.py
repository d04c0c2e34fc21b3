"""Which `{user}` an authenticated request may open.

* Under JupyterHub (the single-user server has `JUPYTERHUB_USER` or `JUPYTERHUB_API_TOKEN` in its
  environment) the identity provider authenticates hub users, and the name is the hub user's
  `username` — a hub user the owner shared the server with gets their own name, not the owner's.
* A plain single-user jupyter_server has one owner: whoever holds its token or password. Its
  authenticated users get generated names (`anonymous-…`), so the name is the owner's, chosen as
  the kernel chooses the user of its link (SparkUILink.user): `c.SparkUIProxy.user`, else
  `LIVY_KERNEL_USER`, else `spark_ui.user` of the kernel's config file (`$LIVY_KERNEL_CONFIG` or
  `~/.livykernel/config.json`), else `JUPYTERHUB_USER`, else the OS user (`$USER`, `$LOGNAME`,
  the password database).
"""
from __future__ import annotations

import json
import os
import pathlib
import pwd


def under_jupyterhub(environ=os.environ) -> bool:
    return bool(environ.get("JUPYTERHUB_USER") or environ.get("JUPYTERHUB_API_TOKEN"))


def kernel_config_user(environ=os.environ) -> str | None:
    path = environ.get("LIVY_KERNEL_CONFIG") or os.path.join(environ.get("HOME") or "~", ".livykernel", "config.json")
    try:
        data = json.loads(pathlib.Path(os.path.expanduser(path)).read_text())
    except (OSError, ValueError):
        return None
    section = data.get("spark_ui") if isinstance(data, dict) else None
    user = section.get("user") if isinstance(section, dict) else None
    return user if isinstance(user, str) and user else None


def server_owner(configured: str | None, environ=os.environ) -> str:
    """The owner of a plain single-user server, as the kernel names the user of its link."""
    for candidate in (configured, environ.get("LIVY_KERNEL_USER"), kernel_config_user(environ),
                      environ.get("JUPYTERHUB_USER"), environ.get("USER"), environ.get("LOGNAME")):
        if candidate:
            return candidate
    return pwd.getpwuid(os.getuid()).pw_name


def request_user(current_user, *, configured: str | None, hub: bool, environ=os.environ) -> str | None:
    """The `{user}` this authenticated request may open (None when not authenticated)."""
    if current_user is None:
        return None
    if hub:
        return getattr(current_user, "username", None) or getattr(current_user, "name", None)
    return server_owner(configured, environ)
