"""Code that runs inside a session's driver process, never inside the server.

The server launches ``python -m devlivy.driver`` once per session; the module
starts a SparkSession and runs statements sent over a socket (see channel.py).
"""
