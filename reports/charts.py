"""Small SVG charts drawn on the server: readable without JavaScript, allowed by a strict
Content Security Policy, and each with a text alternative for screen readers."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 320, 140, 28


def _frame(label: str, body: str, height: int = HEIGHT) -> str:
    # Safe: every piece of text in `body` and `label` went through escape(); the rest is numbers.
    return mark_safe(  # nosec B308 B703
        f'<svg viewBox="0 0 {WIDTH} {height}" class="chart" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{body}</svg>'
    )


def line(points: list[tuple[str, float | None]], label: str, target: float | None = None, max_value: float = 100) -> str:
    """A line through (label, value) points on a 0..max scale, with an optional target line."""
    values = [(name, v) for name, v in points if v is not None]
    if not values:
        return ""
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)

    def y(v):
        return HEIGHT - PAD - (float(v) / max_value) * (HEIGHT - 2 * PAD)

    coords = [(PAD + i * step, y(v)) for i, (_name, v) in enumerate(values)]
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    body = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#6c757d"/>']
    if target is not None:
        body.append(f'<line x1="{PAD}" y1="{y(target):.1f}" x2="{WIDTH - PAD}" y2="{y(target):.1f}" '
                    f'stroke="#a4161a" stroke-dasharray="4 3"/>')
    body.append(f'<polyline points="{path}" fill="none" stroke="#0b3d6e" stroke-width="2"/>')
    for (x, yy), (name, v) in zip(coords, values):
        body.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="#0b3d6e"><title>{escape(name)}: {float(v):.1f}</title></circle>')
    body.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="10">{escape(values[0][0])}</text>')
    body.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="10" text-anchor="end">{escape(values[-1][0])}</text>')
    return _frame(label, "".join(body))


def bars(rows: list[tuple[str, float | None]], label: str, max_value: float = 100) -> str:
    """Horizontal bars, one per (label, value), values written beside them."""
    rows = [(name, v) for name, v in rows if v is not None]
    if not rows:
        return ""
    bar_h, gap, left = 16, 6, 110
    height = len(rows) * (bar_h + gap) + gap
    body = []
    for i, (name, v) in enumerate(rows):
        top = gap + i * (bar_h + gap)
        width = (WIDTH - left - 40) * float(v) / max_value
        body.append(f'<text x="{left - 6}" y="{top + 12}" font-size="11" text-anchor="end">{escape(name[:18])}</text>')
        body.append(f'<rect x="{left}" y="{top}" width="{width:.1f}" height="{bar_h}" fill="#0b3d6e"/>')
        body.append(f'<text x="{left + width + 4:.1f}" y="{top + 12}" font-size="11">{float(v):.1f}</text>')
    return _frame(label, "".join(body), height)
