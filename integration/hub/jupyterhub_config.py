"""JupyterHub configuration of the hub suite (`make test-hub`), and the reference for docs/deploy.md.

A real JupyterHub (PyPI) with Debian's configurable-http-proxy in front, two users, each with a
single-user Jupyter server that runs LivyKernel and serves its Spark UI through the sparkui_proxy
extension. What a real deployment keeps as is, and what is only for the test, is marked below.

The suite (integration/hub/conftest.py) runs `jupyterhub -f integration/hub/jupyterhub_config.py`
with these environment variables; run by hand, set them the same way:

    LKHUB_ROOT           a private directory: hub database, cookie secret, proxy pid file, per-user
                         homes, the shared Spark UI runtime directory, the kernel's config file
    LKHUB_PORT           public port of configurable-http-proxy (the URL users open), on 127.0.0.1
    LKHUB_HUB_PORT       the hub's own port (the proxy's default route and the REST API)
    LKHUB_PROXY_API_PORT configurable-http-proxy's REST API (the hub adds and removes routes there)
    LKHUB_LIVY_URL       the Livy every user's kernel talks to
    LKHUB_UI_PORTS       LIVY_KERNEL_UI_PORTS for every kernel, e.g. 4040-4139
    LKHUB_JUPYTER_PATH   where the LivyKernel kernelspecs are (`livy-kernel install --prefix P` -> P/share/jupyter)
    LKHUB_SINGLEUSER     the jupyterhub-singleuser of the environment with jupyter_server + sparkui_proxy
    LKHUB_PASSWORD       the shared password (test only: SharedPasswordAuthenticator)
    LKHUB_OPERATOR_TOKEN token of the `operator` service (the suite: creates user tokens, starts and stops servers)
    LKHUB_CULLER_TOKEN   token of the `idle-culler` service (run by the suite when it tests culling)
    LKHUB_MARK           (optional) a value put into every spawned environment, so the suite can
                         find every process the hub started and check none is left
"""
import json
import os
from pathlib import Path

env = os.environ
root = Path(env["LKHUB_ROOT"])
c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# ----- the hub and its proxy: loopback only, state in LKHUB_ROOT --------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{env['LKHUB_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['LKHUB_HUB_PORT']}"
c.JupyterHub.db_url = f"sqlite:///{root / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(root / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(root / "jupyterhub.pid")
# Stopping the hub stops every single-user server and the proxy it started (the defaults; said here
# because the suite relies on it to leave nothing behind).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.proxy_class = "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['LKHUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = str(root / "configurable-http-proxy.pid")
# Debian's node-configurable-http-proxy keeps its modules in /usr/share/nodejs, which Debian's own
# nodejs searches but a nodejs from elsewhere (NodeSource) does not; the proxy inherits the hub's
# environment, so this makes either work.
os.environ["NODE_PATH"] = ":".join(p for p in ("/usr/share/nodejs", env.get("NODE_PATH")) if p)

# ----- who may sign in (test only) ----------------------------------------------------------------
# One shared password for the listed users. A real hub uses its organisation's login
# (OAuthenticator, LDAP, PAM...); nothing below depends on which.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["LKHUB_PASSWORD"]
c.Authenticator.allowed_users = {"alice", "bob"}

# ----- services: an operator (the test driver) and the idle culler --------------------------------
# The culler is an externally managed service here: the suite starts `python -m jupyterhub_idle_culler`
# itself, only in the test that checks culling, so that it cannot cull servers other tests use.
# In production it is a hub-managed service with a `command` (docs/deploy.md).
c.JupyterHub.services = [
    {"name": "operator", "api_token": env["LKHUB_OPERATOR_TOKEN"]},
    {"name": "idle-culler", "api_token": env["LKHUB_CULLER_TOKEN"]},
]
c.JupyterHub.load_roles = [
    {"name": "operator", "services": ["operator"],
     "scopes": ["admin:users", "admin:servers", "tokens", "read:users:activity"]},
    # The scopes jupyterhub-idle-culler documents for culling servers (not users).
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]

# ----- single-user servers ---------------------------------------------------------------------
# SimpleLocalProcessSpawner runs every user's server as the hub's own OS user, in a home directory
# of its own (created on first spawn). It needs no OS accounts, which suits a test in a container
# running as root, but gives no isolation between users: in production use LocalProcessSpawner
# (one OS account per user, hub as root or via sudospawner), DockerSpawner or KubeSpawner.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(root / "home" / "{username}")
c.Spawner.cmd = [env["LKHUB_SINGLEUSER"]]
c.Spawner.ip = "127.0.0.1"
# Jupyter refuses to run as root unless told; the suite runs as root in containers.
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]
# A loaded 2-core machine can take a while to import jupyter_server and its extensions.
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90

# The kernel's settings every user shares: small drivers (this machine runs two at once).
kernel_config = root / "livykernel.json"
kernel_config.write_text(json.dumps({"session": {"driverMemory": "512m"}}))

# The single-user server's environment, which the kernels it starts inherit. The hub adds its own
# JUPYTERHUB_* variables: JUPYTERHUB_USER (the user in the Spark UI link and the identity the proxy
# extension checks) and JUPYTERHUB_SERVICE_PREFIX (/user/{name}/, the base of the link).
c.Spawner.environment = {
    "PATH": f"{Path(env['LKHUB_SINGLEUSER']).parent}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    # Every kernel's Livy, and the hub user as Livy's proxyUser (locked: %%configure cannot change it).
    "LIVY_URL": env["LKHUB_LIVY_URL"],
    "LIVY_PROXY_USER": lambda spawner: spawner.user.name,
    "LIVY_KERNEL_CONFIG": str(kernel_config),
    "LIVY_KERNEL_UI_PORTS": env["LKHUB_UI_PORTS"],
    # One lease directory for the whole host: every user's kernels take Spark UI ports from the same
    # range on the same machine, so they must see each other's leases; each server's proxy extension
    # reads the same directory (a record serves only the user named in it).
    "LIVY_KERNEL_RUNTIME_DIR": str(root / "spark-ui"),
    # The kernelspecs (installed once, outside any user's home).
    "JUPYTER_PATH": env["LKHUB_JUPYTER_PATH"],
    "LKHUB_MARK": env.get("LKHUB_MARK", ""),
}
