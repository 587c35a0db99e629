"""
The dashboard's charts as inline SVG, drawn here on the server: no script, nothing from another
site, so the admin's strict Content-Security-Policy holds. Colours are presentation attributes
(not style attributes, which the CSP would refuse). Each bar carries its numbers as data-
attributes and a <title>, and the same numbers are in the table under the chart.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sources.reports import Breakdown

# Colour-blind-safe (Okabe–Ito), unknown always the same grey, last.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
UNKNOWN_GREY = "#BBBBBB"
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 720, 262, 40, 10, 62
LEGEND_COLUMNS, LEGEND_STEP = 4, 170


def _n(number: float) -> str:
    return f"{number:.1f}"


def colours(categories: list[tuple[str, str]]) -> list[str]:
    return [*PALETTE[: len(categories) - 1], UNKNOWN_GREY]


def share_chart(breakdown: Breakdown, measure: str, title: str) -> SafeString:
    """
    Stacked bars, one per group (a month, say), each 100 %: the share of ``measure`` ("quotes" or
    "speakers") by category, unknown on top in grey so that what is missing is seen at once.
    """
    groups = [group for group in breakdown.groups if getattr(group, measure)]
    categories = breakdown.categories
    palette = colours(categories)
    plot_height = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - 10) / max(len(groups), 1)
    bar = min(max(step * 0.7, 2), 60)
    label_every = max(1, len(groups) // 12)
    parts = [
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#DDDDDD"/>'
            '<text x="{}" y="{}" font-size="10" text-anchor="end">{}%</text>',
            LEFT,
            WIDTH - 10,
            _n(TOP + plot_height * (100 - tick) / 100),
            _n(TOP + plot_height * (100 - tick) / 100),
            LEFT - 4,
            _n(TOP + plot_height * (100 - tick) / 100 + 3),
            tick,
        )
        for tick in (0, 50, 100)
    ]
    for index, group in enumerate(groups):
        x = LEFT + index * step + (step - bar) / 2
        bottom = TOP + plot_height
        for cell, colour in zip(group.cells, palette, strict=True):
            value = getattr(cell, f"{measure[:-1]}_share") or 0
            height = plot_height * value / 100
            bottom -= height
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'data-group="{}" data-category="{}" data-share="{}" data-count="{}">'
                    "<title>{}, {}: {}% ({} {})</title></rect>",
                    _n(x),
                    _n(bottom),
                    _n(bar),
                    _n(height),
                    colour,
                    group.label,
                    cell.category,
                    value,
                    getattr(cell, measure),
                    group.label,
                    cell.label,
                    value,
                    getattr(cell, measure),
                    measure,
                )
            )
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                    _n(x + bar / 2),
                    HEIGHT - BOTTOM + 14,
                    group.label[:12],
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
        (
            (
                LEFT + index % LEGEND_COLUMNS * LEGEND_STEP,
                HEIGHT - BOTTOM + 24 + index // LEGEND_COLUMNS * 16,
                colour,
                LEFT + index % LEGEND_COLUMNS * LEGEND_STEP + 14,
                HEIGHT - BOTTOM + 33 + index // LEGEND_COLUMNS * 16,
                label,
            )
            for index, ((_, label), colour) in enumerate(zip(categories, palette, strict=True))
        ),
    )
    return format_html(
        '<svg class="sources-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'data-measure="{}" data-dimension="{}" data-grouping="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}</svg>",
        WIDTH,
        HEIGHT,
        f"{title}: the same numbers are in the table below",
        measure,
        breakdown.dimension,
        breakdown.grouping,
        title,
        mark_safe("".join(parts)),
        legend,
    )
