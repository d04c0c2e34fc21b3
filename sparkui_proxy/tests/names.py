"""Who and what the suite's servers and sessions are named for: the Jupyter server's owner, somebody
else, and the Spark application of the shared session."""
OWNER = "alice"          # the user the tests' Jupyter server belongs to
OTHER = "bob"            # somebody else
APP_NAME = "sparkui-proxy-test"
