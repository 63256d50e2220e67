"""The figures of one run: each next to its baseline, with the ratio and the goal (if the issue set one)."""

from numbers import Number


class Figures:
    def __init__(self):
        self.rows: dict[str, dict] = {}

    def add(self, key, value, unit, baseline, baseline_name, *, goal: str = "", met: bool | None = None):
        ratio = None
        if isinstance(value, Number) and isinstance(baseline, Number) and baseline:
            ratio = round(value / baseline, 3)
        self.rows[key] = {
            "value": value,
            "unit": unit,
            "baseline": baseline,
            "baseline_name": baseline_name,
            "ratio": ratio,
            "goal": goal,
            "met": met,
        }

    def extend_from(self, result: dict, *, prefix: str) -> None:
        """Rows of another script's JSON: {"figures": {key: {"value", "unit", "baseline"…}}} or numbers."""
        rows = result.get("figures", result)
        for key, row in rows.items():
            if isinstance(row, dict) and "value" in row:
                self.add(
                    f"{prefix}{key}",
                    row.get("value"),
                    row.get("unit", ""),
                    row.get("baseline"),
                    row.get("baseline_name", ""),
                    goal=row.get("goal", ""),
                    met=row.get("met"),
                )
            elif isinstance(row, Number):
                self.add(f"{prefix}{key}", row, "", None, "")

    def table(self) -> str:
        header = ("figure", "value", "baseline", "ratio", "goal", "met")
        lines = []
        for key, row in self.rows.items():
            lines.append(
                (
                    key,
                    f"{_fmt(row['value'])} {row['unit']}",
                    f"{_fmt(row['baseline'])} ({row['baseline_name']})"
                    if row["baseline"] is not None
                    else "—",
                    "—" if row["ratio"] is None else f"{row['ratio']:.2f}×",
                    row["goal"] or "",
                    {True: "yes", False: "NO", None: ""}[row["met"]],
                )
            )
        widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
        out = [" | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(header))]
        out.append("-+-".join("-" * w for w in widths))
        out += [" | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)) for line in lines]
        return "\n".join(out)


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
