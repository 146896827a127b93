"""The built-in coding frames (seeds 000 and 001 of the partnership's evidence)."""

BUILT_IN = {
    "Co-inquiry themes": [
        "Wider disadvantage",
        "The stories that attract people to SOC",
        "Vulnerable people and how they are exploited",
        "Services and policy",
    ],
    "Seven findings": [
        "Housing",
        "Leisure, recreation and youth work",
        "Drug use",
        "Vulnerability and victimisation",
        "Aspirations, opportunities and narratives",
        "Local policing and trust",
        "Community resilience",
    ],
    "The five Ds": [
        "Divert",
        "Deter",
        "Disrupt",
        "Detect",
        "Develop (community-based development: the fifth D)",
    ],
}


def ensure_built_in_frames():
    from .models import Code, CodingFrame

    for name, labels in BUILT_IN.items():
        frame, _ = CodingFrame.objects.get_or_create(name=name, defaults={"built_in": True})
        for label in labels:
            Code.objects.get_or_create(frame=frame, label=label)
