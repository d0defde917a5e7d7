"""Geometry for the server-drawn charts (SVG in the templates, with the same figures in a table beside them)."""

from dataclasses import dataclass

SPARK_WIDTH = 160
SPARK_HEIGHT = 32


@dataclass(frozen=True)
class Sparkline:
    points: str  # SVG polyline points, one per month that has figures
    dots: list[tuple[int, int]]
    description: str  # what a screen reader hears instead of the drawing


def sparkline(trend, month_labels: list[str]) -> Sparkline:
    """A measure's share month by month as a small line (0% at the bottom, 100% at the top); months without
    figures leave a gap in the description and no point."""
    step = SPARK_WIDTH / max(len(trend.months) - 1, 1)
    dots = []
    words = []
    for i, (result, label) in enumerate(zip(trend.months, month_labels, strict=True)):
        if result is None or result.percent is None:
            continue
        x, y = round(i * step), round((SPARK_HEIGHT - 4) * (1 - result.percent / 100)) + 2
        dots.append((x, y))
        words.append(f"{label} {result.percent}%")
    description = (
        f"{trend.measure.label}: " + ", ".join(words) if words else f"{trend.measure.label}: no figures kept yet"
    )
    return Sparkline(" ".join(f"{x},{y}" for x, y in dots), dots, description)
