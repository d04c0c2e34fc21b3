"""LivyKernel's Spark UI proxy: a jupyter_server extension serving `{base_url}spark/{user}/{port}/`."""

__version__ = "0.1.0"


def _jupyter_server_extension_points():
    from .app import SparkUIProxy
    return [{"module": "sparkui_proxy", "app": SparkUIProxy}]
