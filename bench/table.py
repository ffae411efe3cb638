"""The table of results: each row's runs, min, median, CPU, its baseline and the ratio
to it, and whether the target holds."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from repo import MIB
from rounds import Results
from rows import Row


def _values(row: Row, results: Results) -> list[float]:
    """The row's measurements; none when its command failed or timed out in any run."""
    source = row.samples_of or row.key
    failed = source in results.errors or source in results.timeouts
    samples = [] if failed else results.samples.get(source, [])
    if row.metric == "rss":
        return [float(sample.max_rss) for sample in samples]
    return [sample.seconds for sample in samples]


def _format_value(value: float, metric: str) -> str:
    return f"{value / MIB:.1f} MiB" if metric == "rss" else f"{value:.3f} s"


_HEADER = (
    "key",
    "what",
    "runs",
    "min",
    "median",
    "cpu",
    "baseline (median)",
    "ratio",
    "target",
    "holds",
)
_RIGHT_ALIGNED = {2, 3, 4, 5, 7}


def _table_line(
    row: Row, results: Results, medians: dict[str, float], by_key: dict[str, Row]
) -> tuple[str, ...]:
    """One line of the table: the row's numbers, its baseline, ratio and target."""
    source = row.samples_of or row.key
    values = _values(row, results)
    runs = str(len(results.samples.get(source, [])))
    low = _format_value(min(values), row.metric) if values else "-"
    middle = _format_value(medians[row.key], row.metric) if values else "-"
    cpu = "-"
    if row.metric == "seconds" and values:  # values is empty when the row failed
        cpu = f"{statistics.median(sample.cpu_seconds for sample in results.samples[source]):.3f} s"
    baseline, denominator = "-", None
    if row.constant_baseline is not None:
        label, denominator = row.constant_baseline
        baseline = f"{label} {_format_value(denominator, row.metric)}"
    elif row.baseline is not None and row.baseline in medians:
        denominator = medians[row.baseline]
        baseline = f"{row.baseline} {_format_value(denominator, by_key[row.baseline].metric)}"
    elif row.baseline is not None:
        baseline = f"{row.baseline} (no result)"
    ratio, target, holds = "-", "-", "-"
    if row.target is not None:
        target = f"<= {row.target:g}x"
    elif row.baseline is not None:
        target = "info"
    if denominator and row.key in medians:
        value = medians[row.key] / denominator
        ratio = f"{value:.2f}x"
        if row.target is not None:
            holds = "yes" if value <= row.target else "NO"
    if source in results.timeouts:
        low = middle = "timeout"
        timeout = by_key[source].command.timeout
        if denominator and row.metric == "seconds":
            # It took at least the timeout: a lower bound of the ratio.
            ratio = f">{timeout / denominator:.2f}x"
            if row.target is not None and timeout / denominator > row.target:
                holds = "NO"
    if source in results.errors:
        low = middle = ratio = "ERROR"
    return (row.key, row.what, runs, low, middle, cpu, baseline, ratio, target, holds)


def format_table(rows: list[Row], results: Results) -> str:
    by_key = {row.key: row for row in rows}
    medians = {
        row.key: statistics.median(values) for row in rows if (values := _values(row, results))
    }
    lines = [_HEADER, *(_table_line(row, results, medians, by_key) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_HEADER))]

    def render(line: Sequence[str]) -> str:
        cells = [
            text.rjust(width) if column in _RIGHT_ALIGNED else text.ljust(width)
            for column, (text, width) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(lines[0]), rule, *map(render, lines[1:])])
