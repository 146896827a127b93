"""Demo plans and meetings: two more plans whose actions six agencies own at every status, two
past tasking meetings with minutes and one upcoming with its generated agenda. Synthetic;
nothing is added once there are meetings, so it is safe to run again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from soclocal.accounts.models import Agency, User
from soclocal.priorities.models import Threat

from . import services
from .models import Meeting

AGENCIES = ["Nottinghamshire Police", "Nottingham Community Safety Partnership",
            "Trentside Housing Association", "Nottingham Youth Justice Service",
            "Riverside Academy Trust", "Meadows Youth Project"]
# Each agency's own work, three actions per plan framework, suited to what the agency does
# (only the police execute warrants; a school does not patrol).
WORK = {
    "Nottinghamshire Police": {
        "4ps": [("pursue", "Warrants at known addresses"),
                ("pursue", "Disrupt the drug line's phones"),
                ("protect", "Target-hardening visits for repeat victims")],
        "chb": [("clear", "Closure orders on cuckooed flats"),
                ("hold", "Joint patrols with wardens"),
                ("clear", "Arrest enquiries for outstanding suspects")]},
    "Nottingham Community Safety Partnership": {
        "4ps": [("prevent", "Youth outreach in the hotspots"),
                ("protect", "CCTV review at the hotspots"),
                ("prepare", "Community reassurance plan")],
        "chb": [("hold", "Neighbourhood wardens on the estate"),
                ("build", "Estate clean-up day"),
                ("build", "Small grants for residents' projects")]},
    "Trentside Housing Association": {
        "4ps": [("protect", "Secure door entry on the blocks"),
                ("protect", "Welfare visits to tenants at risk of cuckooing"),
                ("prevent", "Tenancy sustainment support")],
        "chb": [("clear", "Tenancy enforcement where flats are taken over"),
                ("hold", "Repair lighting in communal areas"),
                ("build", "Tenants' association support")]},
    "Nottingham Youth Justice Service": {
        "4ps": [("prevent", "Mentoring for young people at risk"),
                ("protect", "Safety plans for exploited children"),
                ("prevent", "Key worker support after a young person's first police contact")],
        "chb": [("hold", "Weekly youth drop-in"),
                ("build", "Family support sessions"),
                ("hold", "Transitions support for young people leaving custody")]},
    "Riverside Academy Trust": {
        "4ps": [("prevent", "Healthy relationships sessions"),
                ("protect", "Safer routes to school"),
                ("prevent", "Exploitation awareness assemblies")],
        "chb": [("build", "After-school clubs on the estate"),
                ("hold", "Attendance follow-up for pupils missing lessons"),
                ("build", "Parents' evenings on exploitation")]},
    "Meadows Youth Project": {
        "4ps": [("prevent", "Detached youth work at weekends"),
                ("prevent", "Sports sessions in the park"),
                ("prepare", "Peer mentors trained to spot exploitation")],
        "chb": [("build", "Youth forum for the estate"),
                ("hold", "Evening youth club"),
                ("build", "Summer holiday programme")]},
}
# Each agency's actions run through every status: (status, days from today due)
STATUSES = [("not_started", 40), ("on_track", 25), ("at_risk", 30), ("overdue", -6),
            ("done", -20), ("dropped", 10)]


def _at(days, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load_demo_meetings(progress=None):
    if Meeting.objects.exists():
        return None
    people = {u.username: u for u in User.objects.filter(
        username__in=["admin", "analyst", "housing.officer", "practitioner"])}
    agencies = {a.name: a for a in Agency.objects.filter(name__in=AGENCIES)}
    threats = list(Threat.objects.filter(police_only=False).order_by("raised_at", "pk"))
    if len(people) < 4 or len(agencies) < 6 or len(threats) < 3:
        return None
    admin = people["admin"]
    # A drug market gets a 4 Ps plan and a place Clear, Hold, Build, where the demo has them.
    free = [t for t in threats if not t.plans.exists()] or threats[1:]
    drugs = next((t for t in free if t.crime_type == "Drugs"), free[0])
    place = next((t for t in free if t.kind == Threat.Kind.PLACE and t != drugs),
                 next(t for t in free + threats[1:] if t != drugs))
    from soclocal.priorities import services as priorities

    priorities.decide(admin, drugs, outcome="respond", owner=people["analyst"],
                      reasons="Drug supply drives the exploitation partners see; act together.",
                      review_date=timezone.localdate() + timedelta(days=45))
    plans = []
    for threat, framework in ((drugs, "4ps"), (place, "chb")):
        plan = services.create_plan(admin, threat, title=f"Response to {threat.title}",
                                    framework=framework,
                                    objectives="Fewer incidents and fewer young people drawn "
                                               "in, within a year.")
        plans.append(plan)
    # Six agencies, each with an action at every status, spread over the two plans.
    for i, name in enumerate(AGENCIES):
        for j, (status, days) in enumerate(STATUSES):
            plan = plans[(i + j) % 2]
            strand, title = WORK[name][plan.framework][j // 2]
            action = services.add_action(admin, plan, strand=strand, title=title,
                                         owning_agency=agencies[name],
                                         due_date=timezone.localdate() + timedelta(days=days))
            if status not in ("not_started", "overdue"):
                services.update_action(admin, action, status=status,
                                       note=f"Synthetic demo update: {status.replace('_', ' ')}.",
                                       outcome="Delivered as planned." if status == "done"
                                       else "")

    invited = [agencies[n] for n in AGENCIES]
    meetings = []
    for days, title in ((-56, "Tasking group (synthetic demo)"),
                        (-28, "Tasking group (synthetic demo)"),
                        (14, "Tasking group (synthetic demo)")):
        m = services.schedule_meeting(admin, title=title, starts_at=_at(days),
                                      location="Loxley House, Nottingham", agencies=invited)
        services.generate_agenda(admin, m)
        meetings.append(m)
    for m in meetings[:2]:
        if not m.items.exists():
            services.add_item(admin, m, title="Partners' updates")
        for item in m.items.all():
            services.record_minutes(admin, item, minutes="Discussed. The owning agency gave an "
                                    "update; partners agreed to keep it on the agenda "
                                    "(synthetic demo).")
        services.record_attendance(admin, m, {
            people["admin"]: "present", people["analyst"]: "present",
            people["housing.officer"]: "present", people["practitioner"]: "apologies"})
    last = meetings[1]
    services.decide_in_meeting(admin, last, place, outcome="respond",
                               reasons="Agreed at tasking: partners can act together on the "
                                       "estate.", owner=people["analyst"],
                               review_date=timezone.localdate() + timedelta(days=10))
    services.action_in_meeting(admin, last, plans[1], strand="hold",
                               title="Weekend detached youth work on the estate",
                               owning_agency=agencies["Meadows Youth Project"],
                               due_date=timezone.localdate() + timedelta(days=21))
    # The upcoming meeting's agenda picks up what the last one did.
    services.generate_agenda(admin, meetings[2])
    return meetings



