"""Finding the cohort in a police extract with the Splink model in core/matching.py
("person_link" kind).

Each pair across the two lists gets a match probability. A cohort member links to at most
one police person and a police person to at most one cohort member: the most probable pairs
are taken first. Pairs at or above `LINK` are links; pairs from `REVIEW` up to `LINK` are
uncertain and wait for a person to confirm or reject them (the review page); below `REVIEW`
pairs are not shown.
"""

from dataclasses import dataclass, field

from soclocal.core.matching import find_pairs

LINK = 0.9
REVIEW = 0.4

COHORT, POLICE = "c", "p"


@dataclass(frozen=True)
class Candidate:
    cohort_ref: str
    police_ref: str
    probability: float
    comparisons: dict = field(default_factory=dict, hash=False)

    @property
    def certain(self):
        return self.probability >= LINK


@dataclass
class Linkage:
    candidates: list  # one-to-one, most probable first, each at or above REVIEW
    cohort_size: int
    police_size: int

    @property
    def links(self):
        return [c for c in self.candidates if c.certain]

    @property
    def uncertain(self):
        return [c for c in self.candidates if not c.certain]


def link(cohort, police, *, review=REVIEW) -> Linkage:
    """Link cohort records to police records. Each record is a mapping with `ref`,
    `forenames`, `surname`, `date_of_birth` and `postcode` (any may be empty but `ref`)."""
    records = []
    for source, rows in ((COHORT, cohort), (POLICE, police)):
        for row in rows:
            records.append({"reference": f"{source}:{row['ref']}", "source": source,
                            "forenames": row.get("forenames"), "surname": row.get("surname"),
                            "date_of_birth": row.get("date_of_birth"),
                            "postcode": row.get("postcode")})
    pairs = find_pairs("person_link", records, threshold=review) if cohort and police else []
    taken_cohort, taken_police, candidates = set(), set(), []
    for pair in pairs:  # most probable first
        ends = dict(ref.split(":", 1) for ref in (pair.left, pair.right))
        cohort_ref, police_ref = ends[COHORT], ends[POLICE]
        if cohort_ref in taken_cohort or police_ref in taken_police:
            continue
        taken_cohort.add(cohort_ref)
        taken_police.add(police_ref)
        candidates.append(Candidate(cohort_ref, police_ref, pair.probability,
                                    dict(pair.comparisons)))
    return Linkage(candidates, len(cohort), len(police))
