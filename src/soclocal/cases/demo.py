"""Demo early intervention: about sixty invented young people at every stage of the journey.

Every name, date and note here is made up. The records are made through the services, so the
rules and the audit trail apply; afterwards the dates the services stamp as "now" are moved
back to when the demo says things happened. Safe to run again: if the demo young people
exist, nothing is done.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from soclocal.accounts.models import Agency, Team, User
from soclocal.areas.models import Area, AreaType
from soclocal.partnership.demo import CASES_AGREEMENT, agreement_titled

from . import services, star
from .models import (
    Assignment,
    Case,
    Closure,
    Plan,
    PlanAction,
    Referral,
    StarReading,
    YoungPerson,
)

SEED = 2718
YOUTH_JUSTICE = ("Nottingham Youth Justice Service", "Early Intervention Team")
CHILDRENS = ("Nottingham City Children's Services", "Child Exploitation Team")
HOUSING = "Trentside Housing Association"
NOTTINGHAM = "E06000018"

# Invented first and last names, paired by position; none is meant to be a real person.
FIRST_NAMES = [
    ("Kieran", "boy"), ("Amara", "girl"), ("Tyler", "boy"), ("Leah", "girl"), ("Mason", "boy"),
    ("Zainab", "girl"), ("Callum", "boy"), ("Shanice", "girl"), ("Reece", "boy"),
    ("Ellie", "girl"), ("Jamal", "boy"), ("Kacey", "girl"), ("Harvey", "boy"),
    ("Nadia", "girl"), ("Deshawn", "boy"), ("Chloe", "girl"), ("Bilal", "boy"),
    ("Jade", "girl"), ("Connor", "boy"), ("Precious", "girl"), ("Lewis", "boy"),
    ("Aaliyah", "girl"), ("Kai", "boy"), ("Macy", "girl"), ("Tomasz", "boy"), ("Ruby", "girl"),
    ("Ashton", "boy"), ("Hafsa", "girl"), ("Jayden", "boy"), ("Skye", "girl"), ("Ibrahim", "boy"),
    ("Lacey", "girl"), ("Riley", "non_binary"), ("Demi", "girl"), ("Malachi", "boy"),
    ("Paige", "girl"), ("Oskar", "boy"), ("Imani", "girl"), ("Bradley", "boy"),
    ("Tia", "girl"), ("Yusuf", "boy"), ("Courtney", "girl"), ("Liam", "boy"),
    ("Ayesha", "girl"), ("Jordan", "not_known"), ("Kelsey", "girl"), ("Marcel", "boy"),
    ("Sienna", "girl"), ("Dylan", "boy"), ("Amira", "girl"), ("Ethan", "boy"), ("Nia", "girl"),
    ("Luca", "boy"), ("Esme", "girl"), ("Tariq", "boy"), ("Holly", "girl"), ("Kofi", "boy"),
    ("Maisie", "girl"), ("Alfie", "boy"), ("Sade", "girl"),
]
LAST_NAMES = [
    "Wardle", "Okonkwo-Hale", "Brindley", "Farnsworth", "Kaur-Bennett", "Pickering", "Mensah",
    "Gorton", "Szymanska", "Attwell", "Rowbotham", "Nwachukwu", "Cresswell", "Hussain-Lowe",
    "Draycott", "Bramley", "Adeyemi", "Stainsby", "Kowalczyk", "Mottram", "Fairbrother",
    "Osei-Platt", "Hopewell", "Tranter", "Begum-Hart", "Lindley", "Chambers-Ali", "Woodward",
    "Nowicki", "Spendlove", "Ahmadi", "Kirkland", "Oduya", "Plumtree", "Ellwood", "Haslam",
    "Mbeki-Rowe", "Gascoigne", "Parekh", "Whitworth", "Oyelaran", "Bestall", "Crowder",
    "Iqbal-Dunn", "Saxton", "Henshaw", "Asante", "Tomlinson-Reid", "Varley", "Kamara",
    "Lockwood", "Edun", "Ravensdale", "Pashley", "Nkemelu", "Sherwin", "Dobrowolski", "Appiah",
    "Millington", "Fenwick",
]
ETHNICITIES = ["White British", "Black Caribbean", "Black African", "Pakistani",
               "Mixed White and Black Caribbean", "White Other", "Indian", "Not stated"]
SCHOOLS = ["Trentside Academy", "Meadows Park School", "St Ann's Well Academy",
           "Bulwell Vale College", "Sneinton Green School", "Hyson Green Academy"]
CAREGIVERS = ["Mum", "Dad", "Nan", "Aunt", "Stepdad", "Foster carer", "Grandad"]

CONCERNS = [
    ("Older males have been seen collecting him from school in a car. He has a second phone "
     "and new trainers that family cannot explain.", ["criminal_exploitation"],
     ["associates", "phones", "unexplained_items"]),
    ("Reported missing three times this month; found once in Mansfield with train tickets "
     "bought by someone else.", ["missing", "criminal_exploitation"],
     ["missing_out_of_area", "tickets"]),
    ("School reports a sharp fall in attendance and that an older group waits at the gates.",
     ["ocg_association"], ["school", "associates"]),
    ("Arrested with a small amount of cannabis packaged for sale; adults are thought to be "
     "directing this.", ["drug_dealing", "criminal_exploitation"], ["paraphernalia"]),
    ("Has stopped seeing old friends and is often out late with people in their twenties.",
     ["sexual_exploitation"], ["isolation", "associates"]),
    ("A knife was found in a bag at school; says people on the estate have threatened them.",
     ["repeated_offending"], ["weapons"]),
    ("Came home with injuries that were not explained and was frightened to talk about them.",
     ["criminal_exploitation"], ["injuries", "leaving_home"]),
    ("Family worried: money and a new phone have appeared and contact with an older cousin "
     "linked to dealing has grown.", ["criminal_exploitation", "other"],
     ["unexplained_items", "phones"]),
]
SOURCES = [("police", "PC R. Salter, Nottinghamshire Police"),
           ("school", "Designated safeguarding lead, Trentside Academy"),
           ("childrens_services", "Duty social worker, Children's Services"),
           ("family", "Caregiver, by phone"),
           ("health", "School nurse, Nottingham Community Health"),
           ("youth_justice", "Court officer, Youth Justice Service"),
           ("self", "The young person, at the drop-in")]
OUTREACH_NOTES = ["No answer at the door; left a card with the service's number.",
                  "Spoke to a caregiver, who will pass on a message.",
                  "Sent a text introducing the service; no reply yet.",
                  "Met briefly at school with the safeguarding lead present."]
CONTACT_NOTES = [
    "Talked about what a good week would look like. Agreed to try the Tuesday football.",
    "Went for food and talked about school. Worried about a debt older lads say is owed.",
    "Worked on a CV for a college taster day. Engaged well and asked good questions.",
    "Family meeting at home: caregiver is exhausted; agreed to look into a carers' group.",
    "Checked in after a difficult weekend. Safe at home; talked through who to call.",
    "Visited the boxing club together. The coach will keep a place each Thursday.",
    "Talked about the people pressuring them and what could keep them safer.",
    "Quiet session; walked and talked. Said things feel a bit calmer at home.",
]
OUT_OF_HOURS_NOTES = ["Called late on Saturday after being asked to carry a bag; "
                      "talked it through and they stayed home.",
                      "Evening call with caregiver after a missing episode; young person "
                      "returned home safe at 11pm."]
GOALS = [(7, "Go to a regular activity each week"),
         (3, "Have people to turn to when things are hard"),
         (9, "Keep clear of the people who pressure them"),
         (4, "Rebuild trust at home"),
         (2, "Feel calmer and sleep better")]
CLOSURE_SUMMARIES = {
    "goals_met": "Goals met: regular activity each week, back in school most days, and knows "
                 "who to call if pressured again.",
    "disengaged": "Stopped taking part after several months; caregiver and school know how "
                  "to re-refer.",
    "moved_away": "The family moved out of the area; the new area's team has the summary.",
    "transferred": "Now supported by the Children's Services exploitation team, who lead.",
    "custody": "Remanded in custody; the secure setting has a summary to continue support.",
    "other": "Now supported by a specialist mental health service that fits best.",
}


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Demo:
    def __init__(self, progress=None):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.progress = progress
        yjs = Agency.objects.get(name=YOUTH_JUSTICE[0])
        cs = Agency.objects.get(name=CHILDRENS[0])
        self.yjs = (yjs, Team.objects.get(agency=yjs, name=YOUTH_JUSTICE[1]))
        self.cs = (cs, Team.objects.get(agency=cs, name=CHILDRENS[1]))
        self.housing = Agency.objects.get(name=HOUSING)
        users = {u.username: u for u in User.objects.filter(username__in=[
            "practitioner", "manager", "mentor", "social.worker", "housing.officer"])}
        self.practitioner, self.manager = users["practitioner"], users["manager"]
        self.mentor, self.social_worker = users["mentor"], users["social.worker"]
        self.housing_officer = users["housing.officer"]
        self.lsoas = list(Area.objects.filter(type=AreaType.LSOA21, lad__code=NOTTINGHAM)
                          .order_by("code"))
        self.instrument = star.default_instrument()
        self.areas = list(self.instrument.areas.all())
        self.names = iter(zip(FIRST_NAMES, LAST_NAMES, strict=True))

    def day(self, base, lo, hi):
        """A day lo..hi days after base, never after today."""
        return min(base + timedelta(days=self.rng.randint(lo, hi)), self.today)

    # Referral and triage ----------------------------------------------------------------

    def refer(self, received, *, referrer=None, where=None, share_consent=None):
        rng = self.rng
        (first, gender), last = next(self.names)
        referrer = referrer or self.practitioner
        agency, team = where or self.yjs
        # An age at referral of 11 to 17 keeps everyone 11 to 18 today.
        dob = received - timedelta(days=int(rng.uniform(11.2, 17.3) * 365.25))
        concerns, reasons, indicators = rng.choice(CONCERNS)
        source, referrer_name = rng.choice(SOURCES)
        shares = rng.random() < 0.7 if share_consent is None else share_consent
        person = {"first_name": first, "last_name": last, "date_of_birth": dob,
                  "gender": gender, "ethnicity": rng.choice(ETHNICITIES),
                  "home_area": rng.choice(self.lsoas) if self.lsoas else None,
                  "school": rng.choice(SCHOOLS)}
        family = [{"name": f"{rng.choice(['A.', 'J.', 'S.', 'M.', 'D.'])} {last}",
                   "relationship": rng.choice(CAREGIVERS), "is_caregiver": True,
                   "phone": f"07700 900{rng.randint(100, 999)}"}]
        referral = services.record_referral(
            referrer, person=person, family=family, received_at=_at(received, 9 + rng.randint(0, 7)),
            agency=agency, team=team, source=source, referrer_name=referrer_name,
            reasons=reasons, indicators=indicators, concerns=concerns,
            risks="Being drawn further in by older people; going missing.",
            young_person_consents_to_service=True, caregiver_consents_to_service=True,
            young_person_consents_to_sharing=shares, caregiver_consents_to_sharing=shares,
            lawful_basis="consent")
        return referral

    def triage(self, referral, decision, on, reason="", signposted_to=""):
        services.triage(self.manager, referral, decision=decision, reason=reason,
                        signposted_to=signposted_to)
        Referral.objects.filter(pk=referral.pk).update(decided_at=_at(on, 14))
        if decision != Referral.Decision.ACCEPT:
            Case.objects.filter(pk=referral.case_id).update(closed_at=_at(on, 14))
        referral.case.refresh_from_db()
        return referral.case

    def allocate(self, case, on, mentor=False):
        services.allocate(self.manager, case, practitioner=self.practitioner,
                          peer_mentor=self.mentor if mentor else None)
        Assignment.objects.filter(case=case).update(assigned_at=_at(on, 15))

    # Direct work ------------------------------------------------------------------------

    def outreach(self, case, start, engaged_after=None):
        """Attempts from `start`; the last one engages unless engaged_after is None."""
        rng, day = self.rng, start
        attempts = rng.randint(1, 3)
        for _ in range(attempts):
            services.record_outreach(self.practitioner, case, attempted_on=day,
                                     method=rng.choice(["door_knock", "call", "message",
                                                        "caregiver", "school"]),
                                     notes=rng.choice(OUTREACH_NOTES))
            day = self.day(day, 2, 5)
        if engaged_after is not None:
            services.record_outreach(self.practitioner, case, attempted_on=day,
                                     method="caregiver", engaged=True,
                                     notes="Met with their caregiver at home; agreed to "
                                           "meet weekly.")
        return day

    def contacts(self, case, start, end, out_of_hours=0):
        # A handful of recorded contacts per case keeps the demo quick to load.
        rng, day = self.rng, start
        gap = max(7, (end - start).days // rng.randint(3, 7))
        while day < end:
            who = self.mentor if case.peer_mentor_id and rng.random() < 0.3 else \
                self.practitioner
            kind = rng.choice(["one_to_one", "one_to_one", "group", "family", "phone"])
            goals = list(case.plans.order_by("-pk").first().goals.all()[:1]) \
                if case.plans.exists() else []
            services.record_contact(who, case, happened_on=day,
                                    duration_minutes=rng.choice([30, 45, 60, 90]), kind=kind,
                                    place=rng.choice(["Youth centre", "Home", "School",
                                                      "Cafe in town", "Boxing club"]),
                                    notes=rng.choice(CONTACT_NOTES), goals=goals)
            day = self.day(day, gap - 3, gap + 3)
        for _ in range(out_of_hours):
            services.record_contact(self.practitioner, case, happened_on=self.day(start, 3, 30),
                                    duration_minutes=rng.choice([15, 20, 40]),
                                    kind="out_of_hours", place="Phone",
                                    notes=rng.choice(OUT_OF_HOURS_NOTES))

    def readings(self, case, days, approve=True):
        """Readings on each of `days`, scores rising unevenly; the last may stay unapproved."""
        rng = self.rng
        scores = {a.pk: rng.randint(2, 5) for a in self.areas}
        for n, day in enumerate(days):
            if n:
                scores = {k: max(1, min(10, v + rng.choice([-1, 0, 1, 1, 2, 2, 3])))
                          for k, v in scores.items()}
            reading = services.record_reading(
                self.practitioner, case, taken_on=day, scores=dict(scores),
                other_views={self.areas[8].pk: max(1, scores[self.areas[8].pk] - 1)}
                if rng.random() < 0.3 else None,
                action_plan="Keep going with the weekly activity; check in on school.",
                instrument=self.instrument)
            if approve is True or (approve == "all_but_last" and n < len(days) - 1):
                services.approve_reading(self.practitioner, reading)
                StarReading.objects.filter(pk=reading.pk).update(approved_at=_at(day, 17))

    def plan(self, case, on, approve=True):
        rng = self.rng
        chosen = rng.sample(GOALS, 2)
        goals = [(self.areas[i], text) for i, text in chosen]
        actions = [
            {"for_whom": PlanAction.For.YOUNG_PERSON, "kind": "diversionary",
             "description": "Weekly place at the boxing club or football", "owner": "Key worker",
             "due_on": on + timedelta(days=28), "goal_index": 0},
            {"for_whom": PlanAction.For.YOUNG_PERSON, "kind": "education",
             "description": "Meet the school's attendance lead together", "owner": "Key worker",
             "due_on": on + timedelta(days=21), "goal_index": 1},
            {"for_whom": PlanAction.For.FAMILY, "kind": "caregiver_resilience",
             "description": "Introduce the caregiver to the parents' drop-in",
             "owner": "Peer mentor" if case.peer_mentor_id else "Key worker",
             "due_on": on + timedelta(days=35), "goal_index": 1},
        ]
        plan = services.save_plan(self.practitioner, case, goals=goals, actions=actions)
        Plan.objects.filter(pk=plan.pk).update(created_at=_at(on, 11))
        if approve:
            services.approve_plan(self.manager, plan)
            Plan.objects.filter(pk=plan.pk).update(approved_at=_at(self.day(on, 1, 4), 16))
        return plan

    def close(self, case, reason, on, approve=True):
        closure = services.request_closure(self.practitioner, case, reason=reason,
                                           summary=CLOSURE_SUMMARIES[reason])
        Closure.objects.filter(pk=closure.pk).update(requested_at=_at(on, 12))
        if approve:
            services.decide_closure(self.manager, closure, approve=True)
            done = _at(self.day(on, 1, 5), 16)
            Closure.objects.filter(pk=closure.pk).update(approved_at=done)
            Case.objects.filter(pk=case.pk).update(closed_at=done)
        case.refresh_from_db()

    # Journeys ---------------------------------------------------------------------------

    def engaged_case(self, start_days_ago, *, readings=1, approve="all_but_last",
                     plan_approved=False, mentor=False, out_of_hours=0):
        """Referred, accepted, allocated, engaged, assessed and planned: returns the case."""
        received = self.today - timedelta(days=start_days_ago)
        case = self.triage(self.refer(received), "accept", self.day(received, 1, 3))
        self.allocate(case, self.day(received, 2, 5), mentor=mentor)
        case.refresh_from_db()
        engaged = self.outreach(case, self.day(received, 4, 8), engaged_after=True)
        first = self.day(engaged, 5, 10)
        days = [first] + [d for d in (first + timedelta(days=90), first + timedelta(days=180))
                          if d <= self.today][:readings - 1]
        self.readings(case, days[:readings], approve=approve)
        self.plan(case, self.day(first, 1, 5), approve=plan_approved)
        self.contacts(case, self.day(engaged, 3, 7), self.today - timedelta(days=3),
                      out_of_hours=out_of_hours)
        return case

    def run(self):
        rng, today = self.rng, self.today
        steps = [
            ("waiting for triage", self.waiting, 5),
            ("signposted", lambda: self.not_accepted("signpost"), 4),
            ("declined", lambda: self.not_accepted("decline"), 3),
            ("accepted, not yet allocated", self.unallocated, 4),
            ("in outreach", self.in_outreach, 5),
            ("engaged, plan waiting for approval", self.engaged_new, 10),
            ("engaged, progress over time", self.engaged_progress, 12),
            ("closure waiting for approval", self.closure_waiting, 3),
        ]
        total = sum(n for *_, n in steps) + 10 + 3 + 1
        done = 0
        for label, make, count in steps:
            for _ in range(count):
                make()
                done += 1
                self.report(done, total, label)
        for k, reason in enumerate(["goals_met", "goals_met", "goals_met", "goals_met",
                                    "disengaged", "disengaged", "moved_away", "transferred",
                                    "custody", "other"]):
            case = self.engaged_case(rng.randint(330, 540), readings=2, approve=True,
                                     plan_approved=True)
            self.close(case, reason, today - timedelta(days=rng.randint(60, 150)))
            if k < 2:  # still in touch informally
                services.record_contact(self.practitioner, case,
                                        happened_on=today - timedelta(days=rng.randint(5, 40)),
                                        duration_minutes=15, kind="informal",
                                        notes="Bumped into them at the youth centre; doing "
                                              "well and still going to boxing.")
            done += 1
            self.report(done, total, "closed")
        for outcome in ("waiting", "accepted", "accepted"):
            self.rereferral(outcome)
            done += 1
            self.report(done, total, "referred again")
        self.transfer_pending()
        self.report(total, total, "transfer waiting")

    def report(self, done, total, label):
        if self.progress:
            self.progress(done, total, f"Demo young people: {label}")

    def waiting(self):
        # Two of the waiting referrals are at Children's Services, made by its social worker.
        self._waiting = getattr(self, "_waiting", 0) + 1
        where = self.cs if self._waiting <= 2 else self.yjs
        referrer = self.social_worker if where == self.cs else self.practitioner
        self.refer(self.today - timedelta(days=self.rng.randint(0, 5)), referrer=referrer,
                   where=where)

    def not_accepted(self, decision):
        received = self.today - timedelta(days=self.rng.randint(20, 500))
        if decision == "signpost":
            self.triage(self.refer(received), "signpost", self.day(received, 1, 4),
                        reason="Needs are mainly about mental health; CAMHS can help most.",
                        signposted_to=self.rng.choice(["CAMHS", "Targeted youth support",
                                                       "Family support service"]))
        else:
            self.triage(self.refer(received), "decline", self.day(received, 1, 4),
                        reason="Already well supported by the school's inclusion team; no "
                               "signs of exploitation found on checking.")

    def unallocated(self):
        received = self.today - timedelta(days=self.rng.randint(3, 12))
        self.triage(self.refer(received), "accept", self.day(received, 1, 2))

    def in_outreach(self):
        received = self.today - timedelta(days=self.rng.randint(8, 25))
        case = self.triage(self.refer(received), "accept", self.day(received, 1, 2))
        self.allocate(case, self.day(received, 2, 3), mentor=self.rng.random() < 0.4)
        self.outreach(case, self.day(received, 3, 5))

    def engaged_new(self):
        self.engaged_case(self.rng.randint(40, 80), readings=1, approve=self.rng.random() < 0.5,
                          plan_approved=False, mentor=self.rng.random() < 0.5)

    def engaged_progress(self):
        n = getattr(self, "_progress", 0)
        self._progress = n + 1
        case = self.engaged_case(self.rng.randint(200, 400), readings=3,
                                 approve=True if n % 3 else "all_but_last", plan_approved=True,
                                 mentor=n % 2 == 0, out_of_hours=1 if n % 3 == 0 else 0)
        plan = case.plans.order_by("-pk").first()
        services.review_plan(self.practitioner, plan,
                             reviewed_on=self.today - timedelta(days=self.rng.randint(5, 40)),
                             notes="Going to the activity most weeks; school attendance up. "
                                   "Keep the plan as it is for now.")
        if n == 0:
            # Shared with the housing association, with both consents recorded.
            Referral.objects.filter(case=case).update(
                young_person_consents_to_sharing=True, caregiver_consents_to_sharing=True)
            services.share_case(self.practitioner, case, agency=self.housing,
                                purpose="Tenancy support: rent arrears are adding pressure "
                                        "at home",
                                agreement=agreement_titled(CASES_AGREEMENT))
            services.record_contact(self.housing_officer, case,
                                    happened_on=self.today - timedelta(days=4),
                                    duration_minutes=45, kind="family", place="Home",
                                    notes="Met the family about the arrears; a payment plan "
                                          "is agreed.")

    def closure_waiting(self):
        case = self.engaged_case(self.rng.randint(250, 400), readings=3, approve=True,
                                 plan_approved=True)
        self.close(case, "goals_met", self.today - timedelta(days=self.rng.randint(1, 4)),
                   approve=False)

    def rereferral(self, outcome):
        case = self.engaged_case(self.rng.randint(450, 540), readings=2, approve=True,
                                 plan_approved=True)
        self.close(case, "disengaged", self.today - timedelta(days=self.rng.randint(200, 260)))
        again = self.today - timedelta(days=self.rng.randint(10, 60) if outcome != "waiting"
                                       else self.rng.randint(0, 3))
        concerns, reasons, indicators = self.rng.choice(CONCERNS)
        referral = services.rerefer(
            self.practitioner, case, received_at=_at(again, 11), source="police",
            referrer_name="PC R. Salter, Nottinghamshire Police", reasons=reasons,
            indicators=indicators, concerns="Referred again: " + concerns,
            young_person_consents_to_service=True, caregiver_consents_to_service=True,
            young_person_consents_to_sharing=True, caregiver_consents_to_sharing=True,
            lawful_basis="consent")
        if outcome == "accepted":
            case = self.triage(referral, "accept", self.day(again, 1, 2))
            self.allocate(case, self.day(again, 2, 3))
            self.contacts(Case.objects.get(pk=case.pk), self.day(again, 3, 6), self.today)

    def transfer_pending(self):
        received = self.today - timedelta(days=self.rng.randint(2, 6))
        referral = self.refer(received, referrer=self.social_worker, where=self.cs,
                              share_consent=True)
        services.offer_transfer(self.social_worker, referral.case, agency=self.yjs[0],
                                reason="The Early Intervention Team is better placed to offer "
                                       "weekly support",
                                agreement=agreement_titled(CASES_AGREEMENT))


def demo_present() -> bool:
    (first, _gender), last = FIRST_NAMES[0], LAST_NAMES[0]
    return YoungPerson.objects.filter(first_name=first, last_name=last).exists()


@transaction.atomic
def load_demo_cases(progress=None):
    """Load the demo young people and their cases, unless they are already there."""
    if demo_present():
        return False
    _Demo(progress).run()
    return True


