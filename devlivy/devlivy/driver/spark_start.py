"""Starts the session's SparkSession from the conf the server prepared, and
watches the driver JVM so that its death ends this process too (the server
then marks the session dead instead of leaving it busy forever)."""

import os
import sys
import threading


def start_spark(master: str, app_name: str, conf: dict):
    from pyspark.sql import SparkSession

    repl_classes = conf.get("spark.repl.class.outputDir")
    if repl_classes:
        # SparkContext serves this directory to executors from the start.
        os.makedirs(repl_classes, exist_ok=True)
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def exit_when_jvm_dies(spark) -> None:
    process = getattr(spark.sparkContext._gateway, "proc", None)
    if process is None:
        return

    def watch():
        code = process.wait()
        print(f"devlivy driver: Spark driver JVM exited with code {code}", file=sys.stderr, flush=True)
        os._exit(3)

    threading.Thread(target=watch, name="jvm-watch", daemon=True).start()
