"""The SQL the bench runs: ten small SELECTs (sql_multi) and a 100,000 × 10 result (big_result);
the diagnosis runs both again."""
SQL_MULTI = [f"SELECT {i} AS statement, count(*) AS n, sum(id) AS total FROM range({1000 * (i + 1)})"
             for i in range(10)]
BIG_QUERY = ("SELECT id AS c0, id * 2 AS c1, id % 7 AS c2, CAST(id AS STRING) AS c3, id / 3.0 AS c4, "
             "concat('row-', id) AS c5, id % 2 = 0 AS c6, date_add(DATE'2024-01-01', CAST(id % 365 AS INT)) AS c7, "
             "id * 1.5 AS c8, repeat('x', 8) AS c9 FROM range(100000)")
