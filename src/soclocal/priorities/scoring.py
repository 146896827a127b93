"""Prioritisation after MoRiLE: recorded scores, the partnership's method, one risk score.

MoRiLE (Management of Risk in Law Enforcement) is the method police forces and regional units
use to rank threats. Its official scales and matrices are not public, so soclocal ships its own
defaults (decision 0030) and lets the partnership change the scale, the weights and the way
the parts combine. Everything here is a pure function of the scores and the method, so the
same numbers always give the same score and the formula can be shown beside it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# (key, label, group, what a high score means). The words are English here, as the factors'
# names are everywhere else they are used; pages show them with factor_label() and
# factor_hint().
FACTORS = [
    ("harm_physical", gettext_noop("Physical harm"), "impact",
     gettext_noop("injury, violence, death")),
    ("harm_psychological", gettext_noop("Psychological harm"), "impact",
     gettext_noop("fear, trauma, exploitation")),
    ("harm_financial", gettext_noop("Financial harm"), "impact",
     gettext_noop("loss to victims, businesses, services")),
    ("harm_community", gettext_noop("Community harm"), "impact",
     gettext_noop("damage to trust, cohesion, local life")),
    ("harm_environmental", gettext_noop("Environmental harm"), "impact",
     gettext_noop("damage to places and surroundings")),
    ("scale", gettext_noop("Scale and geographic scope"), "impact",
     gettext_noop("many victims, several areas or beyond")),
    ("vulnerability", gettext_noop("Victim vulnerability"), "impact",
     gettext_noop("children, exploited or at-risk people")),
    ("likelihood", gettext_noop("Likelihood or frequency"), "likelihood",
     gettext_noop("happening now and often")),
    ("confidence", gettext_noop("Confidence in the information"), "confidence",
     gettext_noop("well corroborated, from reliable sources")),
    ("capacity", gettext_noop("Organisational position: capacity"), "position",
     gettext_noop("the partnership lacks the people or money to respond")),
    ("capability", gettext_noop("Organisational position: capability"), "position",
     gettext_noop("the partnership lacks the powers or skills to respond")),
]
KEYS = [k for k, *_rest in FACTORS]
LABELS = {k: label for k, label, *_rest in FACTORS}
GROUP = {k: g for k, _label, g, _hint in FACTORS}
HINTS = {k: hint for k, _label, _group, hint in FACTORS}


def factor_label(key: str) -> str:
    """A factor's name in the reader's language."""
    return gettext(LABELS[key])


def factor_hint(key: str) -> str:
    """What a high score on a factor means, in the reader's language."""
    return gettext(HINTS[key])

MULTIPLICATIVE, ADDITIVE = "multiplicative", "additive"
FORMULAS = [
    (MULTIPLICATIVE, _("Impact × likelihood, adjusted for confidence and organisational "
                       "position")),
    (ADDITIVE, _("Weighted sum of every factor")),
]

DEFAULT_METHOD = {
    "scale": ["None", "Low", "Moderate", "Substantial", "Severe"],
    "weights": {"harm_physical": 2.0, "harm_psychological": 1.5, "harm_financial": 1.0,
                "harm_community": 1.5, "harm_environmental": 0.5, "scale": 1.5,
                "vulnerability": 2.0, "likelihood": 1.0, "confidence": 1.0, "capacity": 1.0,
                "capability": 1.0},
    "formula": MULTIPLICATIVE,
    # Weak information cannot lift a threat to the top: confidence 0 keeps this share.
    "confidence_floor": 0.5,
    # A threat the partnership is poorly placed to tackle rises by up to this share.
    "position_uplift": 0.5,
    "bands": {"high": 50.0, "medium": 25.0},
}


@dataclass(frozen=True)
class Score:
    value: float  # 0 to 100
    priority: str  # High, Medium or Low
    parts: dict  # the named parts the formula combined, each 0 to 1
    formula: str  # the formula with this assessment's numbers in it


def _f(x: float) -> str:
    return f"{x:.2f}"


def _weighted(scores: dict, method: dict, keys) -> float:
    top = len(method["scale"]) - 1
    weights = method["weights"]
    total = sum(float(weights.get(k, 0)) for k in keys) * top
    if total <= 0:
        return 0.0
    return sum(float(weights.get(k, 0)) * min(int(scores.get(k, 0)), top) for k in keys) / total


# A priority is stored, exported and sent over the API in English; pages translate it.
HIGH, MEDIUM, LOW = gettext_noop("High"), gettext_noop("Medium"), gettext_noop("Low")


def band(value: float, method: dict) -> str:
    bands = method["bands"]
    if value >= float(bands["high"]):
        return HIGH
    return MEDIUM if value >= float(bands["medium"]) else LOW


def score(scores: dict, method: dict) -> Score:
    """The risk score (0 to 100) of one set of recorded scores under a method."""
    if method["formula"] == ADDITIVE:
        whole = _weighted(scores, method, KEYS)
        value = round(100 * whole, 1)
        return Score(value, band(value, method), {"weighted": round(whole, 4)},
                     f"100 × weighted sum ({_f(whole)}) = {value}")
    impact = _weighted(scores, method, [k for k in KEYS if GROUP[k] == "impact"])
    likelihood = _weighted(scores, method, ["likelihood"])
    floor = float(method["confidence_floor"])
    confidence = floor + (1 - floor) * _weighted(scores, method, ["confidence"])
    uplift = float(method["position_uplift"])
    position = (1 + uplift * _weighted(scores, method, ["capacity", "capability"])) / (1 + uplift)
    value = round(100 * impact * likelihood * confidence * position, 1)
    return Score(value, band(value, method),
                 {"impact": round(impact, 4), "likelihood": round(likelihood, 4),
                  "confidence": round(confidence, 4), "position": round(position, 4)},
                 f"100 × impact ({_f(impact)}) × likelihood ({_f(likelihood)}) × confidence "
                 f"({_f(confidence)}) × position ({_f(position)}) = {value}")


def describe(method: dict) -> str:
    """The method in words, in the active language, for the configuration page and every
    export (the API's is English: it asks for it so)."""
    top = len(method["scale"]) - 1
    if method["formula"] == ADDITIVE:
        return gettext("Score = 100 × Σ(weight × score) ÷ (Σ weight × %(top)s) over every "
                       "factor.") % {"top": top}
    return gettext(
        "Impact = weighted mean of the harm, scale and vulnerability scores (0 to %(top)s), "
        "as a share of the most; likelihood = its score ÷ %(top)s; confidence = %(floor)s + "
        "(1 − %(floor)s) × its score ÷ %(top)s; position = (1 + %(uplift)s × weighted mean of "
        "capacity and capability ÷ %(top)s) ÷ (1 + %(uplift)s). Score = 100 × impact × "
        "likelihood × confidence × position. High from %(high)s, medium from %(medium)s."
    ) % {"top": top, "floor": method["confidence_floor"], "uplift": method["position_uplift"],
         "high": method["bands"]["high"], "medium": method["bands"]["medium"]}
