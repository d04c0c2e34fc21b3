"""A Scala 2.13 REPL (scala.tools.nsc IMain) inside the pyspark driver JVM,
driven through py4j and sharing the session's SparkSession.

Only the raw REPL lives here: compile-and-run one piece of code, complete,
look up a value. Livy's statement semantics (line by line, magics, error
shape) are in scala_runner.py. Not thread-safe: callers serialize all calls.

Requirements met elsewhere: the SparkContext was started with
spark.repl.class.outputDir (driver_conf.py), the directory the REPL writes its
classes to; executors load REPL classes from there. Without it every closure
fails in tasks with a SerializedLambda ClassCastException.
"""

import json
import os

OUTPUT_DIR_KEY = "spark.repl.class.outputDir"

# Livy's AbstractSparkInterpreter.postStart runs these after binding spark and sc.
_LIVY_IMPORTS = ("import org.apache.spark.SparkContext._\n"
                 "import spark.implicits._\n"
                 "import spark.sql\n"
                 "import org.apache.spark.sql.functions._")


class ScalaInterpreter:
    def __init__(self, spark):
        jvm = self._jvm = spark._jvm
        output_dir = spark.sparkContext.getConf().get(OUTPUT_DIR_KEY, None)
        if not output_dir:
            raise RuntimeError(f"the SparkContext was started without {OUTPUT_DIR_KEY}, so REPL classes "
                               "could not reach the executors")
        os.makedirs(output_dir, exist_ok=True)
        settings = jvm.scala.tools.nsc.Settings()
        args = self._scala_list(["-Yrepl-class-based", "-Yrepl-outdir", output_dir, "-usejavacp"])
        if not settings.processArguments(args, True)._1():
            raise RuntimeError("the Scala compiler rejected its settings")
        # -usejavacp only covers java.class.path; session jars (spark.jars,
        # packages) sit in Spark's class loader. Livy adds them the same way.
        for jar in self._session_jars():
            settings.classpath().append(jar)

        self._buffer = jvm.java.io.ByteArrayOutputStream()
        self._stream = jvm.java.io.PrintStream(self._buffer, True, "UTF-8")
        shell = jvm.scala.tools.nsc.interpreter.shell
        reporter = shell.ReplReporterImpl(settings, jvm.java.io.PrintWriter(self._stream, True))
        parent_loader = jvm.scala.Some(jvm.java.lang.Thread.currentThread().getContextClassLoader())
        self._intp = jvm.scala.tools.nsc.interpreter.IMain(settings, parent_loader, settings, reporter)
        self._intp.initializeCompiler()
        self._console = getattr(jvm.scala, "Console$").__getattr__("MODULE$")

        # @transient as Livy binds them: REPL line objects are captured by
        # closures, and a non-transient SparkContext makes every task fail
        # with "Task not serializable".
        transient = self._scala_list(["@transient"])
        session = spark._jsparkSession
        self._intp.bind("spark", session.getClass().getCanonicalName(), session, transient)
        self._intp.bind("sc", "org.apache.spark.SparkContext", spark.sparkContext._jsc.sc(), transient)
        status, output = self.interpret(_LIVY_IMPORTS)
        if status != "Success":
            raise RuntimeError(f"the start-up imports failed: {output.strip()}")

    def interpret(self, code: str) -> tuple[str, str]:
        """Compiles and runs code; returns ("Success" | "Error" | "Incomplete",
        everything the REPL and the code printed)."""
        # scala.Console.out/err are per JVM thread: point this thread's at our
        # buffer (the reporter writes there too, so the order is kept).
        self._console.setOutDirect(self._stream)
        self._console.setErrDirect(self._stream)
        try:
            status = self._intp.interpret(code).toString()
        finally:
            self._stream.flush()
            output = self._buffer.toString("UTF-8")
            self._buffer.reset()
        return status, output

    def complete(self, code: str, cursor: int) -> list[str]:
        """Names that can follow code[:cursor], as the Scala shell's tab completion finds them."""
        shell = self._jvm.scala.tools.nsc.interpreter.shell
        result = shell.ReplCompletion(self._intp, shell.Accumulator()).complete(code, cursor)
        candidates = self._jvm.scala.jdk.javaapi.CollectionConverters.asJava(result.candidates())
        # Overloaded methods come once per overload.
        return sorted({candidate.name() for candidate in candidates})

    def value_of_term(self, name: str):
        """The JVM value bound to a REPL name, or None when there is none."""
        found = self._intp.valueOfTerm(name)
        return found.get() if found.isDefined() else None

    def json_value(self, value, rdd_rows: int):
        """A JVM value as json4s' Extraction.decompose renders it (what Livy's
        magics use), parsed; an RDD becomes its first rdd_rows elements."""
        jvm = self._jvm
        if jvm.java.lang.Class.forName("org.apache.spark.rdd.RDD").isInstance(value):
            value = value.take(rdd_rows)
        formats = getattr(jvm.org.json4s, "DefaultFormats$").__getattr__("MODULE$")
        serialization = getattr(jvm.org.json4s.jackson, "Serialization$").__getattr__("MODULE$")
        return json.loads(serialization.write(value, formats))

    def close(self) -> None:
        self._intp.close()

    def _scala_list(self, items: list[str]):
        return self._jvm.scala.jdk.javaapi.CollectionConverters.asScala(items).toList()

    def _session_jars(self) -> list[str]:
        loader = self._jvm.java.lang.Thread.currentThread().getContextClassLoader()
        while loader is not None:
            if loader.getClass().getName() == "org.apache.spark.util.MutableURLClassLoader":
                return [url.getPath() for url in loader.getURLs()
                        if url.getProtocol() == "file" and os.path.isfile(url.getPath())]
            loader = loader.getParent()
        return []
