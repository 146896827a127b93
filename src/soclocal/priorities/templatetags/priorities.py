from django import template

from soclocal.core.access import can

register = template.Library()


@register.inclusion_tag("priorities/_raise_from_profile.html", takes_context=True)
def raise_threat_links(context, version):
    """`{% raise_threat_links version %}` on a profile page: one "raise a threat" link per
    crime type recorded, busiest first, for those who may raise threats."""
    user = context["request"].user
    if not can(user, "priorities.raise"):
        return {"findings": []}
    from soclocal.profiles import selectors as profiles

    doc = profiles.document(version, sharing=False)
    trends = {r.get("crime_type"): r.get("flag") for r in doc.get("trend", {}).get("year_on_year", [])}
    counts = doc.get("counts_by_crime_type", {})
    findings = [{"crime_type": t, "count": n, "trend": trends.get(t) or ""}
                for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n]
    return {"findings": findings, "profile_id": version.pk}
