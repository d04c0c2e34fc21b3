"""Writes examples/sql-tour.ipynb: multi-statement SQL, variables, -o, charts, session magics."""
from nbformat.v4 import new_code_cell, new_markdown_cell

from example_notebook import write_example

cells = [
    new_markdown_cell(
        "# A tour of SQL in LivyKernel\n"
        "`%%sql` cells hold several Spark SQL statements; each runs in order in this notebook's Spark "
        "session and every result is shown. `{{ name }}` variables parameterise cells."),
    new_code_cell("%set region=north\n%set min_amount=20\n%vars"),
    new_markdown_cell("Five statements in one cell: a setting, a database, `USE`, a view, a query."),
    new_code_cell(
        "%%sql\n"
        "SET spark.sql.shuffle.partitions=4;\n"
        "CREATE DATABASE IF NOT EXISTS tour;\n"
        "USE tour;\n"
        "CREATE OR REPLACE TEMPORARY VIEW orders AS\n"
        "  SELECT id,\n"
        "         CASE id % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' ELSE 'west' END AS region,\n"
        "         ELEMENT_AT(ARRAY('Mon','Tue','Wed','Thu','Fri','Sat','Sun'), CAST(id % 7 + 1 AS INT)) AS weekday,\n"
        "         ROUND(RAND(7) * 100, 2) AS amount\n"
        "  FROM RANGE(10000);\n"
        "SELECT region, COUNT(*) AS orders, ROUND(SUM(amount), 2) AS revenue FROM orders GROUP BY region ORDER BY region"),
    new_markdown_cell("Variables: `{{ name }}` inserts the value as it is, `{{ name.sql }}` as a quoted SQL string. "
                      "`-o NAME` also keeps the result as a DataFrame and a temporary view."),
    new_code_cell(
        "%%sql -o big_orders -n 5\n"
        "SELECT id, weekday, amount FROM orders\n"
        "WHERE region = {{ region.sql }} AND amount > {{ min_amount }}\n"
        "ORDER BY amount DESC"),
    new_code_cell("print(big_orders.count(), 'big orders in', spark.table('big_orders').select('weekday').distinct().count(), 'weekdays')"),
    new_markdown_cell("A chart of a result (Vega-Lite, rendered by JupyterLab):"),
    new_code_cell(
        "%%sql --chart bar --x weekday --y revenue\n"
        "SELECT weekday, ROUND(SUM(amount), 2) AS revenue FROM orders GROUP BY weekday ORDER BY weekday"),
    new_markdown_cell("The session, its Spark UI link and its settings:"),
    new_code_cell("%%info"),
]

if __name__ == "__main__":
    write_example("sql-tour", cells)
