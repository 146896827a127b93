"""The force-level view: published NRM referrals by Nottinghamshire Police as first responder.

A small extract of the Home Office's National Referral Mechanism statistics (referrals by
police first responder, exploitation type and age, 2022 Q2 to 2023 Q4), under the Open
Government Licence v3.0. These are published official statistics, shown as published.
"""

import csv
from pathlib import Path

EXTRACT = Path(__file__).parent / "data" / "nrm_nottinghamshire_police_2022q2-2023q4.csv"
FORCE = "Nottinghamshire Police"
TYPES = ["Criminal", "Labour", "Labour & Criminal", "Sexual", "Domestic", "Total"]


def table() -> dict:
    """Quarters down, exploitation types across (every age), from the extract."""
    with open(EXTRACT, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["age"] == "Total"]
    quarters = sorted({r["quarter"] for r in rows})
    cells = {(r["quarter"], r["exploitation_type"]): int(r["people"]) for r in rows}
    return {"force": FORCE, "types": TYPES,
            "rows": [{"quarter": q.replace("_q", " Q"),
                      "cells": [cells.get((q, t)) for t in TYPES]} for q in quarters]}
