"""The jupyter_server extension: configuration and route."""
from __future__ import annotations

import os

from jupyter_server.extension.application import ExtensionApp
from tornado.simple_httpclient import SimpleAsyncHTTPClient
from traitlets import Bool, CaselessStrEnum, Float, Int, List, Unicode, default

from . import identity, records
from .handlers import SparkUIProxyHandler
from .livy_state import LivyStateCache


class SparkUIProxy(ExtensionApp):
    """Serves `{base_url}spark/{user}/{port}/…`: the Spark UI of a live LivyKernel session, to its owner only."""

    name = "sparkui_proxy"
    load_other_extensions = True

    runtime_dir = Unicode(
        help="Directory of the kernel's Spark UI records (<port>.json). Default: $LIVY_KERNEL_RUNTIME_DIR, "
             "else $JUPYTER_RUNTIME_DIR/livykernel-spark-ui, else $JUPYTER_DATA_DIR/runtime/livykernel-spark-ui, "
             "else ~/.local/share/jupyter/runtime/livykernel-spark-ui (the kernel's rules).",
    ).tag(config=True)

    @default("runtime_dir")
    def _default_runtime_dir(self):
        return str(records.default_runtime_dir())

    identity = CaselessStrEnum(
        ["auto", "jupyterhub", "server-owner"], default_value="auto",
        help="How the authenticated request maps to {user}: 'jupyterhub' uses the hub user's name; "
             "'server-owner' treats every authenticated request as the server's owner (see `user`); "
             "'auto' is 'jupyterhub' when JUPYTERHUB_USER or JUPYTERHUB_API_TOKEN is set.",
    ).tag(config=True)

    user = Unicode(
        None, allow_none=True,
        help="The owner's name for a plain single-user server. Default: LIVY_KERNEL_USER, else spark_ui.user "
             "of the kernel's config file, else JUPYTERHUB_USER, else the OS user (as the kernel names its link).",
    ).tag(config=True)

    allowed_driver_hosts = List(
        Unicode(), default_value=["localhost", "127.0.0.1", "::1"],
        help="The only hosts a record's driver_host may name. Add the driver host of a remote Livy in client mode "
             "(the kernel's spark_ui.driver_host) here; nothing else is ever contacted.",
    ).tag(config=True)

    connect_timeout = Float(10.0, help="Seconds to connect to the driver's UI.").tag(config=True)
    request_timeout = Float(300.0, help="Seconds for a whole proxied request.").tag(config=True)
    max_body_size = Int(1024 ** 3, help="Largest response body streamed from the driver (bytes).").tag(config=True)

    check_livy_state = Bool(
        True,
        help="Also ask Livy (GET {livy_url}/sessions/{id}/state) whether the session is still live; an "
             "ended or unknown session is 404. When Livy cannot be asked (down, needs credentials), the "
             "kernel's pid decides alone.",
    ).tag(config=True)
    livy_state_ttl = Float(5.0, help="Seconds a Livy state answer is reused.").tag(config=True)

    def under_hub(self) -> bool:
        if self.identity == "auto":
            return identity.under_jupyterhub(os.environ)
        return self.identity == "jupyterhub"

    def initialize_settings(self):
        self.http_client = SimpleAsyncHTTPClient(force_instance=True, max_clients=64,
                                                 max_body_size=self.max_body_size)
        self.livy_states = LivyStateCache(self.http_client, ttl=self.livy_state_ttl)
        self.log.info("Spark UI proxy at %sspark/{user}/{port}/ reading records from %s (identity: %s)",
                      self.serverapp.base_url, self.runtime_dir,
                      "hub user" if self.under_hub() else f"server owner {identity.server_owner(self.user)!r}")

    def initialize_handlers(self):
        self.handlers.append((r"/spark/.*", SparkUIProxyHandler, {"proxy": self}))

    async def stop_extension(self):
        client = getattr(self, "http_client", None)
        if client is not None:
            client.close()
