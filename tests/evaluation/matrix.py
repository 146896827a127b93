"""The evaluation pages for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "evaluation:index": ("evaluation.view", False),
    "evaluation:link": ("evaluation.analyse", True),
    "evaluation:run": ("evaluation.analyse", False),
    "evaluation:review": ("evaluation.analyse", False),
    "evaluation:review_pair": ("evaluation.analyse", False),
    "evaluation:report": ("evaluation.view", False),
    "evaluation:people": ("evaluation.analyse", False),
    "evaluation:download": ("evaluation.view", False),
}

API = {}


def context():
    """A police extract of one person, linked (uncertain) to one young person, and a saved
    evaluation run."""
    from datetime import date

    from soclocal.accounts.models import Agency
    from soclocal.cases.models import Case, Referral, YoungPerson
    from soclocal.evaluation.models import EvaluationRun, Link, PoliceExtract, PolicePerson

    agency = Agency.objects.order_by("pk").first()
    young = YoungPerson.objects.create(first_name="Matrix", last_name="Person",
                                       date_of_birth=date(2010, 1, 1), owning_agency=agency)
    case = Case.objects.create(young_person=young, owning_agency=agency)
    from soclocal.accounts.models import User

    Referral.objects.create(case=case, source="police", referrer_name="PC Matrix",
                            created_by=User.objects.order_by("pk").first())
    extract = PoliceExtract.objects.create(people_file="p.csv", events_file="e.csv",
                                           people_sha256="0" * 64, events_sha256="0" * 64)
    person = PolicePerson.objects.create(extract=extract, police_ref="M1", forenames="Matrix",
                                         surname="Persen", date_of_birth=date(2010, 1, 1))
    link = Link.objects.create(extract=extract, young_person=young, police_person=person,
                               probability=0.6, status=Link.Status.UNCERTAIN,
                               comparisons={"surname": "very similar"})
    from soclocal.evaluation.services import run_evaluation

    run = run_evaluation(None)
    assert isinstance(run, EvaluationRun)
    return {"evaluation_link": link.pk, "evaluation_run": run.pk}


def url_kwargs(name, ctx):
    if name == "evaluation:review_pair":
        return {"pk": ctx.get("evaluation_link", 1)}
    if name == "evaluation:download":
        return {"pk": ctx.get("evaluation_run", 1), "fmt": "json"}
    if name in ("evaluation:report", "evaluation:people"):
        return {"pk": ctx.get("evaluation_run", 1)}
    return None


def api_path(template, ctx):
    return template
