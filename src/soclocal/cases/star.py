"""The outcomes star: the default instrument, a loader for licensed text, change and the chart.

The default instrument uses the Justice Star's ten areas and five journey-of-change stages
with neutral labels of our own; the official descriptors for each point are licensed, so a
licensee loads them from a file (`load_descriptors`).
"""

import math
from pathlib import Path
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils.translation import gettext as _

from soclocal.core import imports

from .models import StarArea, StarInstrument

DEFAULT_NAME = "Justice Star (neutral labels)"
DEFAULT_AREAS = [
    "Accommodation", "Living skills and self-care", "Mental health and well-being",
    "Friends and community", "Relationships and family", "Parenting and caring",
    "Drugs and alcohol", "Positive use of time", "Managing strong feelings",
    "A crime-free life",
]
DEFAULT_STAGES = [
    {"name": "Stuck", "from": 1, "to": 2},
    {"name": "Accepting help", "from": 3, "to": 4},
    {"name": "Believing and trying", "from": 5, "to": 6},
    {"name": "Learning what works", "from": 7, "to": 8},
    {"name": "Self-reliance", "from": 9, "to": 10},
]


def neutral_descriptor(stage: str, score: int) -> str:
    return f"{score}: {stage.lower()}"


@transaction.atomic
def default_instrument() -> StarInstrument:
    instrument, created = StarInstrument.objects.get_or_create(
        name=DEFAULT_NAME, defaults={"stages": DEFAULT_STAGES})
    if created or not instrument.areas.exists():
        for i, name in enumerate(DEFAULT_AREAS, start=1):
            StarArea.objects.get_or_create(instrument=instrument, position=i,
                                           defaults={"name": name})
    return instrument


def active_instrument() -> StarInstrument:
    """The instrument new readings use: the one a manager made active, else the default."""
    return StarInstrument.objects.filter(active=True).first() or default_instrument()


MAX_SCALE = 20
MAX_STAGES = 8
MAX_AREAS = 16


STAGE_NAME_MAX = 60
AREA_NAME_MAX = StarArea._meta.get_field("name").max_length


def whole(value) -> bool:
    """A whole number as a service takes it: not a word, a fraction, NaN or True."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_structure(*, scale_min, scale_max, stages, areas) -> dict[str | None, str]:
    """What is wrong with a star's shape, by field: {} when it can be saved.

    Stages must cover every point of the scale once, in order, so each score falls in
    exactly one stage; area labels must be present and different. A problem is keyed to the
    star form's box for it (`stage_2_from`, `area_0`), counting the stages and areas given;
    None is the star as a whole.
    """
    errors = {}
    if not (whole(scale_min) and whole(scale_max)
            and 0 <= scale_min < scale_max <= MAX_SCALE):
        errors["scale_max"] = _("The scale must run from a lower to a higher whole number, "
                                "between 0 and %(most)s") % {"most": MAX_SCALE}
        return errors
    if not stages:
        errors["stage_0_name"] = _("Add at least one stage of the journey")
    elif len(stages) > MAX_STAGES:
        errors[None] = _("A star can have at most %(most)s stages") % {"most": MAX_STAGES}
    else:
        expected = scale_min
        names = set()
        for i, stage in enumerate(stages):
            name, low, high = (stage.get("name") or "").strip(), stage.get("from"), stage.get("to")
            n = i + 1
            if not name:
                errors[f"stage_{i}_name"] = _("Stage %(number)s needs a name") % {"number": n}
                break
            if len(name) > STAGE_NAME_MAX:
                errors[f"stage_{i}_name"] = _(
                    "Keep the name of stage %(number)s to %(most)s characters or fewer") % {
                    "number": n, "most": STAGE_NAME_MAX}
                break
            if name.lower() in names:
                errors[f"stage_{i}_name"] = _("Two stages are called '%(name)s': give each its "
                                              "own name") % {"name": name}
                break
            names.add(name.lower())
            if not whole(low):
                errors[f"stage_{i}_from"] = _("Stage %(number)s (%(name)s) needs a lowest score") % {
                    "number": n, "name": name}
                break
            if not whole(high) or low > high:
                errors[f"stage_{i}_to"] = _("Stage %(number)s (%(name)s) needs a score range "
                                            "from low to high") % {"number": n, "name": name}
                break
            if low != expected:
                errors[f"stage_{i}_from"] = _(
                    "Stage %(number)s (%(name)s) should start at %(expected)s, so that every "
                    "score falls in exactly one stage") % {
                    "number": n, "name": name, "expected": expected}
                break
            expected = high + 1
        else:
            if expected != scale_max + 1:
                errors[f"stage_{len(stages) - 1}_to"] = (
                    _("The last stage should end at %(top)s, the top of the scale") % {
                        "top": scale_max})
    names = [a.strip() for a in areas]
    if not names:
        errors["area_0"] = _("Add at least one area of the star")
    elif len(names) > MAX_AREAS:
        errors[None] = _("A star can have at most %(most)s areas") % {"most": MAX_AREAS}
    else:
        seen = set()
        for i, n in enumerate(names):
            if not n:
                errors[f"area_{i}"] = _("Every area needs a label")
            elif len(n) > AREA_NAME_MAX:
                errors[f"area_{i}"] = _("Keep the label to %(most)s characters or fewer") % {
                    "most": AREA_NAME_MAX}
            elif n.lower() in seen:
                errors[f"area_{i}"] = _("Two areas are called '%(name)s': give each its own "
                                        "label") % {"name": n}
            else:
                seen.add(n.lower())
                continue
            break
    return errors


def load_descriptors(path, instrument: StarInstrument | None = None) -> int:
    """Load a licensee's descriptors from a CSV with columns area, score, descriptor.

    All or nothing: any bad row (unknown area, score off the scale, empty text) stops the
    load with every problem named by file, line and field.
    """
    instrument = instrument or default_instrument()
    path = Path(path)
    areas = {a.name.lower(): a for a in instrument.areas.all()}
    problems = imports.Problems(path.name)
    found = {}
    csv_file = imports.read_csv(path, problems)
    if csv_file is None or not imports.require_columns(csv_file, ["area", "score", "descriptor"],
                                                       problems):
        problems.raise_if_any()
    for line, row in csv_file.rows:
        area = areas.get((row.get("area") or "").strip().lower())
        if area is None:
            problems.add(_("'%(area)s' is not an area of the star") % {"area": row.get("area")},
                         line=line, field="area")
        try:
            score = int(row.get("score") or "")
            if not instrument.scale_min <= score <= instrument.scale_max:
                raise ValueError
        except ValueError:
            problems.add(_("must be a whole number from %(low)s to %(high)s") % {
                "low": instrument.scale_min, "high": instrument.scale_max},
                line=line, field="score")
            score = None
        text = (row.get("descriptor") or "").strip()
        if not text:
            problems.add(_("is empty"), line=line, field="descriptor")
        if area is not None and score is not None and text:
            found.setdefault(area.pk, {})[str(score)] = text
    problems.raise_if_any()
    with transaction.atomic():
        for area in instrument.areas.all():
            if area.pk in found:
                area.descriptors = found[area.pk]
                area.save(update_fields=["descriptors"])
        instrument.licensed_text_loaded = True
        instrument.save(update_fields=["licensed_text_loaded"])
    return sum(len(v) for v in found.values())


def change_per_area(first: dict[str, int], latest: dict[str, int]) -> dict[str, int]:
    """Latest minus first score for each area scored in both readings."""
    return {area: latest[area] - first[area] for area in first if area in latest}


def mean_change(changes: list[dict[str, int]], areas: list[str]) -> dict[str, float | None]:
    """The average change per area over many young people; None where nobody has one."""
    out = {}
    for area in areas:
        values = [c[area] for c in changes if area in c]
        out[area] = round(sum(values) / len(values), 2) if values else None
    return out


# The chart: one polygon per reading on ten spokes, drawn on the server as SVG.
SERIES_STYLE = [  # (stroke, dash) — distinguishable without colour too
    ("#505a5f", "6 4"), ("#1d70b8", "2 3"), ("#00703c", ""),
]


def radar_svg(areas: list[str], series: list[tuple[str, list[int]]], scale_max=10,
              size=420, title=None) -> str:
    """An accessible SVG radar chart. `series` is [(label, scores in area order)]."""
    title = title or _("Outcomes star")
    centre, radius = size / 2, size / 2 - 80
    n = len(areas)

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / scale_max
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    desc = "; ".join(f"{label}: " + ", ".join(f"{a} {s}" for a, s in zip(areas, scores, strict=False))
                     for label, scores in series) or _("No approved readings yet.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30 * len(series)}" '
             f'class="app-star-chart" role="img" aria-labelledby="star-title star-desc">',
             f'<title id="star-title">{escape(title)}</title>',
             f'<desc id="star-desc">{escape(desc)}</desc>']
    for ring in sorted({max(1, round(scale_max * k / 5)) for k in range(1, 6)}):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#b1b4b6" stroke-width="1"/>')
    for i, area in enumerate(areas):
        x, y = point(i, scale_max)
        lx, ly = point(i, scale_max + 1.6)
        anchor = "middle" if abs(lx - centre) < 20 else ("start" if lx > centre else "end")
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" '
                     f'stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}" '
                     f'fill="#0b0c0c">{escape(area)}</text>')
    for k, (label, scores) in enumerate(series):
        stroke, dash = SERIES_STYLE[k % len(SERIES_STYLE)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, s) for i, s in enumerate(scores)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{stroke}" stroke-width="3"'
                     f'{dash_attr}/>')
        ly = size + 10 + 30 * k
        parts.append(f'<line x1="20" y1="{ly}" x2="60" y2="{ly}" stroke="{stroke}" '
                     f'stroke-width="3"{dash_attr}/>')
        parts.append(f'<text x="70" y="{ly + 4}" font-size="13" fill="#0b0c0c">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
