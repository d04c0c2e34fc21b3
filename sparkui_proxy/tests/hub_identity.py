"""Stands in for JupyterHub's identity provider in a single-user server (loaded by the server
subprocess of test_identity.py): `Authorization: token <name>-token` authenticates hub user <name>."""
import re

from jupyter_server.auth.identity import IdentityProvider, User


class HubLikeIdentityProvider(IdentityProvider):
    async def get_user(self, handler):
        match = re.fullmatch(r"token (\w+)-token", handler.request.headers.get("Authorization", ""))
        return User(username=match.group(1)) if match else None

    @property
    def auth_enabled(self):
        return True
