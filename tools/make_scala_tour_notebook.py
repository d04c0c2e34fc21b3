"""Writes examples/scala-tour.ipynb: Scala cells in the notebook's Livy session, sharing it with SQL."""
from nbformat.v4 import new_code_cell, new_markdown_cell

from example_notebook import write_example

cells = [
    new_markdown_cell(
        "# Scala in LivyKernel\n"
        "Plain cells run in the Livy session's Scala interpreter, with `spark` and `sc` bound. "
        "Definitions stay for the next cells; `%%sql` cells share the same Spark session."),
    new_code_cell(
        "val orders = spark.range(0, 20000).selectExpr(\n"
        "  \"id\",\n"
        "  \"element_at(array('north', 'south', 'west'), cast(id % 3 + 1 AS INT)) AS region\",\n"
        "  \"round(rand(7) * 100, 2) AS amount\")\n"
        "orders.createOrReplaceTempView(\"orders\")\n"
        "orders.count()"),
    new_markdown_cell("A case class and a typed Dataset; the lambda runs in Spark's tasks."),
    new_code_cell(
        "case class Order(id: Long, region: String, amount: Double)\n"
        "val big = orders.as[Order].filter(_.amount > 90)\n"
        "big.count()"),
    new_code_cell(
        "spark.sql(\"SELECT region, count(*) AS orders, round(sum(amount), 2) AS revenue \" +\n"
        "          \"FROM orders GROUP BY region ORDER BY region\").show()"),
    new_markdown_cell("The same view from a `%%sql` cell, shown as a table:"),
    new_code_cell("%%sql\nSELECT region, max(amount) AS largest FROM orders GROUP BY region ORDER BY region"),
    new_markdown_cell("Errors are Spark's (or the compiler's), shown in the cell; the session goes on."),
    new_code_cell("val broken: Int = \"not a number\"", metadata={"tags": ["raises-exception"]}),
    new_code_cell("println(s\"${big.count()} big orders, the largest ${big.agg(Map(\"amount\" -> \"max\")).first().getDouble(0)}\")"),
]

if __name__ == "__main__":
    write_example("scala-tour", cells, kernel="scala")
