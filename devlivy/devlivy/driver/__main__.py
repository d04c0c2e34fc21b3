"""Entry point of a session's driver process: ``python -m devlivy.driver``.

Arguments: --channel-fd (the socket shared with the server) and --config (a
JSON file the server wrote into the session's scratch directory). The main
thread runs statements; a reader thread takes commands from the server, so
a cancel or a completion can arrive while a statement runs.
"""

import argparse
import json
import os
import queue
import sys
import threading
import traceback

from .channel import Channel
from .errors import first_line
from .spark_start import exit_when_jvm_dies, start_spark
from .statement_runner import StatementRunner

_SHUTDOWN = None
# Livy starts its Scala interpreter with every session, before the session is
# idle (it creates the SparkContext). Here PySpark creates it, and the REPL's
# start-up (seconds of both cores, ~200 MB) would slow down whatever else the
# session runs meanwhile, so only `spark` sessions start it before idle, as in
# Livy; the others start it on their first Scala statement or completion.
_SCALA_FIRST_KIND = "spark"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channel-fd", type=int, required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    channel = Channel(args.channel_fd)

    try:
        spark = start_spark(config["master"], config["appName"], config["sparkConf"])
    except BaseException as exc:
        traceback.print_exc()
        channel.send({"event": "fatal", "message": first_line(exc)})
        sys.exit(1)
    exit_when_jvm_dies(spark)

    sc = spark.sparkContext
    runner = StatementRunner(spark, channel, int(config["numRows"]), int(config["maxOutputBytes"]))
    commands: queue.Queue = queue.Queue()
    threading.Thread(
        target=_read_commands, args=(channel, runner, commands, float(config["cancelTimeoutS"])),
        name="commands", daemon=True,
    ).start()
    if config["kind"] == _SCALA_FIRST_KIND:
        runner.scala.start()
    channel.send({"event": "ready", "appId": sc.applicationId, "sparkUiUrl": sc.uiWebUrl})

    while (command := commands.get()) is not _SHUTDOWN:
        runner.run(command["id"], command["kind"], command["code"])
    runner.scala.close()
    spark.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: skip interpreter teardown, which can hang on py4j threads.
    os._exit(0)


def _complete(channel: Channel, runner: StatementRunner, message: dict) -> None:
    try:
        candidates = runner.complete(message["kind"], message["code"], int(message["cursor"]))
    except Exception:  # a completer failure must not leave the server waiting
        traceback.print_exc()
        candidates = []
    channel.send({"event": "completion", "ref": message["ref"], "candidates": candidates})


def _read_commands(channel: Channel, runner: StatementRunner, commands: queue.Queue, cancel_timeout_s: float):
    try:
        for message in channel:
            op = message.get("op")
            if op == "run":
                commands.put(message)
            elif op == "cancel":
                runner.cancel(message["id"], cancel_timeout_s)
            elif op == "complete":
                # Its own thread: a completion may wait for the Scala interpreter,
                # and this thread must stay free for cancels.
                threading.Thread(target=_complete, args=(channel, runner, message), daemon=True).start()
            elif op == "shutdown":
                commands.put(_SHUTDOWN)
                return
    except OSError:
        pass
    # The server went away without a shutdown: nobody can reach this session
    # any more, so leave at once (the JVM follows when our pipe to it closes).
    # The server also held our stdout, so even this message may fail.
    try:
        print("devlivy driver: server connection lost, exiting", file=sys.stderr, flush=True)
    finally:
        os._exit(2)


if __name__ == "__main__":
    main()
