"""`livy-kernel doctor`'s report as tests read it: one line per check (✓ passed, ✗ failed,
– skipped), the check's name in columns 3-19, each failure followed by its `    fix:` lines."""


def checks(report: str) -> dict[str, str]:
    """{check name: its line, with its fix lines after it}."""
    lines, current = {}, None
    for line in report.splitlines():
        if line[:1] in ("✓", "✗", "–"):
            current = line[2:19].strip()
            lines[current] = line
        elif line.startswith("    fix:") and current:
            lines[current] += "\n" + line
    return lines
