"""Writes examples/demo.ipynb (kept as a script so the notebook's source stays reviewable)."""
from nbformat.v4 import new_code_cell, new_markdown_cell

from example_notebook import write_example

cells = [
    new_markdown_cell(
        "# LivyKernel demo\n"
        "Every cell runs in this notebook's own Livy session: a Spark driver on the cluster "
        "(here, the development Livy server on local Spark). The first cell starts the session "
        "and shows its id and a link to its Spark UI."),
    new_code_cell(
        "from pyspark.sql import functions as F\n"
        "weekdays = F.array(*[F.lit(d) for d in ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']])\n"
        "orders = (spark.range(0, 200_000)\n"
        "          .withColumn('customer', (F.col('id') % 1000).cast('int'))\n"
        "          .withColumn('weekday', F.element_at(weekdays, (F.col('id') % 7 + 1).cast('int')))\n"
        "          .withColumn('amount', F.round(F.rand(seed=42) * 100, 2)))\n"
        "orders.createOrReplaceTempView('orders')\n"
        "print(f'{orders.count():,} orders')"),
    new_markdown_cell("Aggregate with the DataFrame API; `show()` prints on the driver and the text comes back:"),
    new_code_cell(
        "(orders.groupBy('weekday')\n"
        "       .agg(F.count('*').alias('orders'), F.round(F.sum('amount'), 2).alias('revenue'))\n"
        "       .orderBy(F.desc('revenue'))\n"
        "       .show())"),
    new_markdown_cell(
        "SQL runs in the same Spark session, so the temporary view is there. "
        "Livy's `%table` magic (one line, as in Livy) returns rows that the kernel renders as a table:"),
    new_code_cell(
        "by_day = spark.sql(\"\"\"\n"
        "    SELECT weekday, COUNT(*) AS orders, ROUND(AVG(amount), 2) AS avg_amount\n"
        "    FROM orders GROUP BY weekday ORDER BY weekday\"\"\")\n"
        "%table [row.asDict() for row in by_day.collect()]"),
    new_code_cell("print('Spark', spark.version, '· application', spark.sparkContext.applicationId)"),
]

if __name__ == "__main__":
    write_example("demo", cells)
