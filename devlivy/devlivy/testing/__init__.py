"""devlivy's test harness, for every suite that needs a dev Livy server (devlivy/tests,
integration/, sparkui_proxy/tests): `import devlivy.testing` once devlivy is installed (`make venv`)."""
from devlivy.launcher import free_port
from devlivy.testing.processes import group_processes, java_children, wait_group_gone
from devlivy.testing.server import FINAL_STATEMENT_STATES, JOB_CANCEL_TIMEOUT_S, LivyServer

__all__ = ["FINAL_STATEMENT_STATES", "JOB_CANCEL_TIMEOUT_S", "LivyServer", "free_port", "group_processes",
           "java_children", "wait_group_gone"]
