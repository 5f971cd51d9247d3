"""The /stats chart: new registrations and submissions per day, as a PNG.

matplotlib is imported here only, when an admin asks for /stats, so the bot starts without it.
The image carries no words: matplotlib cannot shape Khmer, so the caption names what it shows.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta


def render(series: dict[str, list[int]], last_day: datetime | None = None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    end = (last_day or datetime.now(UTC)).date()
    days = len(next(iter(series.values())))
    dates = [end - timedelta(days=days - 1 - i) for i in range(days)]
    figure = Figure(figsize=(8, 3.6), dpi=100)
    axes = figure.subplots()
    width = 0.4
    positions = list(range(days))
    axes.bar([p - width / 2 for p in positions], series["registrations"], width, color="#1f77b4")
    axes.bar([p + width / 2 for p in positions], series["submissions"], width, color="#ff7f0e")
    axes.set_xticks(positions[::5], [d.strftime("%m-%d") for d in dates[::5]])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
