"""Small SVG charts drawn on the server: readable without JavaScript, allowed by a strict
Content Security Policy, and each with a text alternative for screen readers."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from qa import formats

WIDTH, HEIGHT, PAD = 320, 140, 28


def _frame(label: str, body: str, height: int = HEIGHT) -> str:
    # Safe: every piece of text in `body` and `label` went through escape(); the rest is numbers.
    return mark_safe(  # nosec B308 B703
        f'<svg viewBox="0 0 {WIDTH} {height}" class="chart" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{body}</svg>'
    )


LEFT, BOTTOM = 44, 34  # room for the y axis' labels and title, and the period labels


def line(points: list[tuple[str, str, float | None, int | None]], label: str, y_title: str, x_title: str,
         target: float | None = None, max_value: float = 100, unit: str = "%") -> str:
    """A line through (axis label, full name, value, n) points on a 0..max scale, with both
    axes titled (the y axis with its unit), periods labelled under the axis (about five,
    evenly spread, the last always) and each point's full name, exact value and sample
    size as its tooltip."""
    values = [(short, name, v, n) for short, name, v, n in points if v is not None]
    if not values:
        return ""
    right, top = WIDTH - 10, 10
    plot_h = HEIGHT - BOTTOM - top
    step = (right - LEFT) / max(1, len(values) - 1)

    def y(v):
        return HEIGHT - BOTTOM - (float(v) / max_value) * plot_h

    coords = [(LEFT + i * step if len(values) > 1 else (LEFT + right) / 2, y(v)) for i, (_short, _name, v, _n) in enumerate(values)]
    body = [f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#6c757d"/>',
            f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{right}" y2="{HEIGHT - BOTTOM}" stroke="#6c757d"/>']
    for tick in (0, max_value / 2, max_value):
        body.append(f'<line x1="{LEFT - 3}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" stroke="#dee2e6"/>'
                    if tick else f'<line x1="{LEFT - 3}" y1="{y(tick):.1f}" x2="{LEFT}" y2="{y(tick):.1f}" stroke="#6c757d"/>')
        body.append(f'<text x="{LEFT - 5}" y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end" '
                    f'class="chart-tick">{tick:g}</text>')
    body.append(f'<text x="10" y="{(top + HEIGHT - BOTTOM) / 2:.1f}" font-size="9" text-anchor="middle" '
                f'transform="rotate(-90 10 {(top + HEIGHT - BOTTOM) / 2:.1f})" class="chart-axis-title">{escape(y_title)}</text>')
    body.append(f'<text x="{(LEFT + right) / 2:.1f}" y="{HEIGHT - 3}" font-size="9" text-anchor="middle" '
                f'class="chart-axis-title">{escape(x_title)}</text>')
    if target is not None:
        body.append(f'<line x1="{LEFT}" y1="{y(target):.1f}" x2="{right}" y2="{y(target):.1f}" '
                    f'stroke="#a4161a" stroke-dasharray="4 3"/>')
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    body.append(f'<polyline points="{path}" fill="none" stroke="#0b3d6e" stroke-width="2"/>')
    last = len(values) - 1
    every = 1 if len(values) <= 4 else (len(values) + 3) // 4  # at most about five labels fit
    labelled = {i for i in range(0, last, every) if last - i >= every} | {last}
    for index, ((x, yy), (short, name, v, n)) in enumerate(zip(coords, values)):
        tip = f"{name}: {formats.figure(v)}{unit}" + (f" (n = {n})" if n is not None else "")
        body.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="#0b3d6e"><title>{escape(tip)}</title></circle>')
        if index in labelled:
            anchor = "start" if index == 0 and len(values) > 1 else ("end" if index == len(values) - 1 and len(values) > 1 else "middle")
            body.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 12}" font-size="9" text-anchor="{anchor}" '
                        f'class="chart-period">{escape(short)}</text>')
    return _frame(label, "".join(body))


def bars(rows: list[tuple[str, float | None]], label: str, max_value: float = 100, unit: str = "%") -> str:
    """Horizontal bars, one per (label, value), values written beside them with their unit."""
    rows = [(name, v) for name, v in rows if v is not None]
    if not rows:
        return ""
    # The value is written after its bar: 52 units on the right keep the widest one ("100.0%") inside the frame.
    bar_h, gap, left, value_room = 16, 6, 110, 52
    height = len(rows) * (bar_h + gap) + gap
    body = []
    for i, (name, v) in enumerate(rows):
        top = gap + i * (bar_h + gap)
        width = (WIDTH - left - value_room) * min(float(v), max_value) / max_value
        body.append(f'<text x="{left - 6}" y="{top + 12}" font-size="11" text-anchor="end">{escape(name[:18])}</text>')
        body.append(f'<rect x="{left}" y="{top}" width="{width:.1f}" height="{bar_h}" fill="#0b3d6e"/>')
        body.append(f'<text x="{left + width + 4:.1f}" y="{top + 12}" font-size="11">{formats.figure(v)}{escape(unit)}</text>')
    return _frame(label, "".join(body), height)
