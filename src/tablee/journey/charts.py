"""Small server-side SVG charts: bars and lines with axes, labels and a <title> for screen readers.

No JavaScript. Colours are dark enough on white for text contrast (WCAG AA); each chart also has
a text equivalent in its <desc>, and the pages show the numbers in a table next to it.

Drawn for a phone: the drawing is about as wide as a phone's card (360 units for about 310 px), so
its 14-unit labels read at 12 px or more there; on a wide screen they grow with the card. The
visible title is the page's <figcaption>, which wraps (an SVG text does not); the SVG keeps it as
its <title> for screen readers.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 44
FONT = 14
INK = "#1f2933"
GRID = "#d9dee3"
PALETTE = ("#1d5f8a", "#8a3b12", "#2d6a2f", "#6b3a8a")


def _scale(values: list[float], top: float | None) -> tuple[float, list[float]]:
    """The axis top and its ticks, on whole numbers."""
    if top is None:
        top = max(int(-(-max(values, default=0) // 1)), 1)
    top = int(-(-top // 1))
    if top <= 5:
        return float(top), [float(k) for k in range(top + 1)]
    top = -(-top // 4) * 4
    return float(top), [top * k / 4 for k in range(5)]


def _french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def _fmt(value: float) -> str:
    """A figure as the tables beside the charts write it: « 3,63 » in French, "3.63" in English."""
    text = str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if _french() else text


def _colon() -> str:
    """« libellé : valeur » with a no-break space in French (never alone at a line's start), "label: value" in English."""
    return "\u00a0: " if _french() else ": "


def _list(items) -> str:
    """Values listed: « ; » between them in French, where « , » is the decimal mark."""
    return ("; " if _french() else ", ").join(items)


# A label's width at font size 14, about: 8.5 units a character (a little more than most fonts need).
CHAR_PX = 8.5


def _label_step(labels: list[str], slot: float) -> int:
    """Every how many slots an axis label fits (« 1er décembre » is wider than a bar's slot when a
    season has many gatherings): 1 shows them all. Each bar or point keeps its label in its <title>
    and in the chart's <desc>, and the page's table lists every row."""
    widest = max((len(label) for label in labels), default=0) * CHAR_PX + 6
    return max(1, int(-(-widest // slot))) if slot > 0 else 1


def _frame(title: str, description: str, body: list[str], top: float, ticks: list[float],
           unit: str = "") -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" class="chart">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="{FONT}" text-anchor="end" fill="{INK}">'
                     f"{_fmt(tick)}{escape(unit)}</text>")
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="{INK}"/>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="{INK}"/>')
    parts += body
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text piece above is escaped


def bar_chart(*, title: str, labels: list[str], values: list[float], colour: str = PALETTE[0],
              unit: str = "", top: float | None = None) -> SafeString:
    top, ticks = _scale(values, top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    step = _label_step(labels, slot)
    body = []
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * min(value, top) / top
        x = LEFT + k * slot + slot * 0.2
        y = TOP + plot_h - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{escape(label)}{_colon()}{_fmt(value)}{escape(unit)}</title></rect>")
        body.append(f'<text x="{x + slot * 0.3:.1f}" y="{y - 4:.1f}" font-size="{FONT}" text-anchor="middle" '
                    f'fill="{INK}">{_fmt(value)}</text>')
        if k % step == 0:
            body.append(f'<text x="{x + slot * 0.3:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="{FONT}" '
                        f'text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    description = _list(f"{label}{_colon()}{_fmt(v)}{unit}" for label, v in zip(labels, values, strict=True))
    return _frame(title, description, body, top, ticks, unit)


def line_chart(*, title: str, labels: list[str], lines: list[tuple[str, list[float]]],
               unit: str = "", top: float | None = None) -> SafeString:
    """Several series over the same labels, each with its own colour and a legend below."""
    top, ticks = _scale([v for _n, vs in lines for v in vs], top)
    # Keeps the first and last labels inside the drawing.
    pad = max(24, int(max((len(label) for label in labels), default=0) * CHAR_PX / 2) - RIGHT + 4)
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 2 * pad, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    left = LEFT + pad
    every = _label_step(labels, step)
    body = []
    for k, label in enumerate(labels):
        if k % every:
            continue
        body.append(f'<text x="{left + k * step:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="{FONT}" '
                    f'text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    descriptions = []
    for index, (name, values) in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        points = [(left + k * step, TOP + plot_h - plot_h * min(v, top) / top) for k, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), label, value in zip(points, labels, values, strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                        f"<title>{escape(name)}, {escape(label)}{_colon()}{_fmt(value)}{escape(unit)}</title></circle>")
        legend_x = LEFT + index * 170
        body.append(f'<rect x="{legend_x}" y="{HEIGHT - 16}" width="12" height="4" fill="{colour}"/>'
                    f'<text x="{legend_x + 16}" y="{HEIGHT - 11}" font-size="{FONT}" fill="{INK}">{escape(name)}</text>')
        descriptions.append(f"{name}{_colon()}" + _list(_fmt(v) for v in values))
    return _frame(title, " · ".join(descriptions), body, top, ticks, unit)
