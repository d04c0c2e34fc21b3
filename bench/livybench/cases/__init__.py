"""One module per case of issue 8. Cases measured on the same runs share them: startup with
idle_rss, cell_overhead with rss_growth, first_result with poll_load; every case alternates its
runs through livybench.runner.Alternation."""
