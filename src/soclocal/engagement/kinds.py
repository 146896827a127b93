"""Kinds of area, for reporting what people said by the kind of place they live in.

The co-inquiries compared places by how deeply multiple disadvantage ran through them: it
was most intense where it was "embedded" across the area and least where poverty sat in a
few streets of an otherwise better-off place ("diffuse"). We read the same contrast from the
deprivation index loaded for the event's area: the share of its people living in the most
deprived fifth of small areas in the country (deciles 1 and 2). See decision 0021.
"""

CONCENTRATED, POCKETS, LITTLE, UNKNOWN = "concentrated", "pockets", "little", "unknown"

KINDS = {
    CONCENTRATED: "Concentrated deprivation",
    POCKETS: "Pockets of deprivation",
    LITTLE: "Little deprivation",
    UNKNOWN: "Deprivation not known",
}

DESCRIPTIONS = {
    CONCENTRATED: "half or more of the area's people live in the most deprived fifth of "
                  "neighbourhoods in the country",
    POCKETS: "some, but fewer than half, of the area's people live in the most deprived fifth",
    LITTLE: "none of the area's neighbourhoods is in the most deprived fifth",
    UNKNOWN: "the event has no area, or no deprivation is loaded for it",
}

CONCENTRATED_FROM = 50.0  # per cent of people in deciles 1 and 2


def classify(share: float | None) -> str:
    """The kind of area for the percentage of its people in the most deprived fifth."""
    if share is None:
        return UNKNOWN
    if share >= CONCENTRATED_FROM:
        return CONCENTRATED
    return POCKETS if share > 0 else LITTLE


def most_deprived_share(area) -> float | None:
    """The percentage of an area's people in deciles 1 and 2; by neighbourhoods where the
    population is not loaded; None when nothing is known."""
    from soclocal.areas.selectors import deprivation_summary, lsoa_rows

    if area is None:
        return None
    summary = deprivation_summary(lsoa_rows(area))
    if summary is None:
        return None
    if summary["most_deprived_share"] is not None:
        return summary["most_deprived_share"]
    return 100 * summary["most_deprived_lsoas"] / summary["rated"]


class KindOfArea:
    """Remembers each area's kind while a report is built: areas are read once."""

    def __init__(self):
        self._seen = {}

    def __call__(self, area) -> str:
        key = area.pk if area is not None else None
        if key not in self._seen:
            self._seen[key] = classify(most_deprived_share(area))
        return self._seen[key]


def label(kind: str) -> str:
    return KINDS[kind]
