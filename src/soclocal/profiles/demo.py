"""Demo profiles: Nottingham City and each of its wards, over the latest 12 months loaded."""

from soclocal.areas.models import Area, AreaType
from soclocal.core import engines

from . import analytics
from .services import build_profile

NOTTINGHAM = "E06000018"


def load_demo_profiles(progress=None):
    """Build and save the demo profiles; nothing happens without crime data."""
    with engines.given_or_own() as con:
        months = [m for (m,) in analytics._rows(con, analytics.SQL_MONTHS_LOADED, {})]
        city = Area.objects.filter(type=AreaType.LAD, code=NOTTINGHAM).first()
        if not months or city is None:
            return []
        month_to = months[-1]
        month_from = max(months[0], analytics.month_add(month_to, -11))
        wards = list(Area.objects.filter(type=AreaType.WARD, ward_lsoas__lad=city).distinct()
                     .order_by("name"))
        built = []
        for n, area in enumerate([city, *wards], start=1):
            if area.profiles.filter(month_from=month_from, month_to=month_to).exists():
                continue
            if progress:
                progress(n - 1, len(wards) + 1, f"Profile of {area.name}")
            built.append(build_profile(None, area, month_from, month_to, con=con))
        if progress:
            progress(len(wards) + 1, len(wards) + 1, "Profiles built")
        return built
