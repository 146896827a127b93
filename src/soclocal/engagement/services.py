"""Every change to stories (and the rest of community engagement), each one audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import service

from .models import Story


@service("stories.review")
def gather_story(actor, *, title, text, consent_keep, consent_share=False,
                 consent_publish=False, tags="", audio=None) -> Story:
    if not consent_keep:
        raise ValidationError({"consent_keep": _("A story can only be kept with the teller's "
                                              "consent to keep it.")})
    # A title or story of blanks is no title or story: full_clean then says so beside it.
    story = Story(title=title.strip(), text=text.strip(), tags=tags.strip(), audio=audio,
                  consent_keep=True,
                  consent_share=consent_share, consent_publish=consent_publish)
    story.full_clean()
    story.save()
    audit.record("stories.gathered", actor=actor, obj=story,
                 detail={"share": consent_share, "publish": consent_publish})
    return story


@service("stories.review")
def review_story(actor, story: Story, *, anonymised_text: str) -> Story:
    if story.status == Story.Status.WITHDRAWN:
        raise ValidationError(_("Consent for this story has been withdrawn."))
    if not anonymised_text.strip():
        raise ValidationError({"anonymised_text": _("Write the anonymised version of the story.")})
    story.anonymised_text = anonymised_text.strip()
    story.status = Story.Status.REVIEWED
    story.reviewed_at = timezone.now()
    story.save()
    audit.record("stories.reviewed", actor=actor, obj=story)
    return story


@service("stories.review")
def publish_story(actor, story: Story) -> Story:
    if story.status != Story.Status.REVIEWED:
        raise ValidationError(_("A story is published only after its anonymisation review."))
    if not story.consent_publish:
        raise ValidationError(_("The teller has not consented to publishing this story."))
    story.status = Story.Status.PUBLISHED
    story.save(update_fields=["status"])
    audit.record("stories.published", actor=actor, obj=story)
    return story


@service("stories.review")
def withdraw_consent(actor, story: Story, *, reason: str = "") -> Story:
    """The teller withdraws consent: the story leaves every public page, export and search,
    and its words and audio are erased; only the fact of withdrawal remains."""
    if reason is not None and not isinstance(reason, str):
        raise ValidationError({"reason": _("Say how the teller withdrew consent, as text.")})
    reason = (reason or "").strip()
    if len(reason) > 300:  # the withdraw form's limit, for callers other than the form
        raise ValidationError({"reason": _("Say how consent was withdrawn in 300 characters or "
                                         "fewer.")})
    had_audio = bool(story.audio)
    if story.audio:
        story.audio.delete(save=False)
    story.text = ""
    story.anonymised_text = ""
    story.tags = ""
    story.title = "Withdrawn story"
    story.consent_keep = story.consent_share = story.consent_publish = False
    story.status = Story.Status.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.save()
    audit.record("stories.consent_withdrawn", actor=actor, obj=story,
                 detail={"reason": reason, "audio_erased": had_audio})
    return story


# Events, harvest and coding ------------------------------------------------------------------

@service("engagement.manage")
def create_event(actor, raised_from=None, **fields):
    """An event; `raised_from` is the record it was started from (a plan's Develop action)."""
    from django.urls import reverse

    from soclocal.core import origins

    from .frames import ensure_built_in_frames
    from .models import Event

    ensure_built_in_frames()
    event = Event(**{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    event.full_clean()
    event.save()
    audit.record("engagement.event_created", actor=actor, obj=event,
                 detail={"kind": event.kind, "participants": event.participants})
    if raised_from is not None:
        origins.link(actor, raised_from, event,
                     target_url=reverse("engagement:event", args=[event.pk]))
    return event


@service("engagement.manage")
def harvest(actor, event, *, text: str, table=None, round=None, question="") -> list:
    """Insights typed quickly: one a line."""
    from .models import Insight

    lines = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
    if not lines:
        raise ValidationError({"text": _("Type at least one insight.")})
    made = Insight.objects.bulk_create([
        Insight(event=event, table=table, round=round, question=question[:300], text=line)
        for line in lines])
    audit.record("engagement.harvested", actor=actor, obj=event, detail={"insights": len(made)})
    return made


@service("engagement.manage")
def code_insight(actor, insight, code, *, on: bool = True):
    (insight.codes.add if on else insight.codes.remove)(code)
    audit.record("engagement.insight_coded", actor=actor, obj=insight,
                 detail={"code": code.pk, "on": on})
    return insight


@service("engagement.manage")
def create_frame(actor, *, name, labels: list[str], description=""):
    from .models import Code, CodingFrame

    labels = [label.strip() for label in labels if label.strip()]
    if not labels:
        raise ValidationError({"labels": _("A coding frame needs at least one code.")})
    too_long = [label for label in labels if len(label) > 200]
    if too_long:
        raise ValidationError({"labels": _("Keep each code to 200 characters or fewer: "
                                           "%(code)s… is longer.") % {"code": too_long[0][:40]}})
    if CodingFrame.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a coding frame with that name.")})
    frame = CodingFrame.objects.create(name=name, description=description)
    for label in dict.fromkeys(labels):
        Code.objects.create(frame=frame, label=label)
    audit.record("engagement.frame_created", actor=actor, obj=frame)
    return frame


@service("engagement.manage")
def save_theme_output(actor, event, theme, *, resonance, more_of="", less_of="",
                      do_differently=""):
    from .models import Code, ThemeOutput

    # Keyed to the theme output form's boxes; a resonance is a whole number, never cut down.
    if not isinstance(theme, Code):
        raise ValidationError({"theme": _("Choose a theme.")})
    if isinstance(resonance, str) and resonance.strip().isascii() and resonance.strip().isdigit():
        resonance = int(resonance)
    if not isinstance(resonance, int) or isinstance(resonance, bool) or not 1 <= resonance <= 5:
        raise ValidationError({"resonance": _("Resonance is from 1 to 5.")})
    for name, value in (("more_of", more_of), ("less_of", less_of),
                        ("do_differently", do_differently)):
        if not isinstance(value, str):
            raise ValidationError({name: _("Write this as text.")})
    output, _created = ThemeOutput.objects.update_or_create(
        event=event, theme=theme, defaults={"resonance": resonance, "more_of": more_of,
                                            "less_of": less_of,
                                            "do_differently": do_differently})
    audit.record("engagement.theme_output_saved", actor=actor, obj=event,
                 detail={"theme": theme.pk, "resonance": int(resonance)})
    return output


# Community groups ----------------------------------------------------------------------------

@service("groups.manage")
def create_group(actor, *, name, area=None, raised_from=None, name_cy="", description="",
                 description_cy=""):
    """A community group; `raised_from` is the record it was started from (a plan's Develop
    action), kept on the trail both ways."""
    from django.urls import reverse

    from soclocal.core import origins

    from .models import CommunityGroup

    # Each box on the group form without the blanks around it; an optional one left out is
    # empty, and a name of blanks is none at all.
    given = {"name": name, "name_cy": name_cy, "description": description,
             "description_cy": description_cy}
    words, errors = {}, {}
    for box, value in given.items():
        if value is None and box != "name":
            value = ""
        if not isinstance(value, str):
            errors[box] = _("Enter the name of the group") if box == "name" \
                else _("Enter this as text")
            continue
        words[box] = value.strip()
    if "name" in words and not words["name"]:
        errors["name"] = _("Enter the name of the group")
    if errors:
        raise ValidationError(errors)
    group = CommunityGroup.objects.create(area=area, **words)
    if actor is not None:
        group.facilitators.add(actor)
    audit.record("groups.created", actor=actor, obj=group)
    if raised_from is not None:
        origins.link(actor, raised_from, group, target_label=f"Community group: {group.name}",
                     target_url=reverse("engagement:group", args=[group.pk]))
    return group


@service("groups.manage")
def add_to_group(actor, group, what: str, **fields):
    """Add a member, meeting, priority or action to a group's space."""
    from .models import Action, Meeting, Member, Priority

    model = {"member": Member, "meeting": Meeting, "priority": Priority, "action": Action}[what]
    if what == "priority" and group.ballots.exists():
        raise ValidationError(_("Voting on priorities has started; add new ones after it."))
    # A name, title or description of blanks is none at all: refused below as missing.
    fields = {k: v.strip() if isinstance(v, str) and k in ("name", "title", "description")
              else v for k, v in fields.items()}
    priority = fields.get("priority")
    if what == "action" and priority is not None and \
            getattr(priority, "group_id", None) != group.pk:
        raise ValidationError({"priority": _("Choose one of this group's priorities.")})
    record = model(group=group, **fields)
    record.full_clean()
    record.save()
    audit.record(f"groups.{what}_added", actor=actor, obj=group, detail={"id": record.pk})
    return record


@service("groups.manage")
def cast_priority_ballot(actor, group, ranking: list[int]):
    from .models import PriorityBallot

    ids = set(group.priorities.values_list("pk", flat=True))
    if not ranking:
        raise ValidationError(_("Rank at least one priority."))
    # Only the ids themselves: True or 2.0 would pass for a priority's id, and be counted so.
    if any(type(pk) is not int for pk in ranking) or len(set(ranking)) != len(ranking) \
            or not set(ranking) <= ids:
        raise ValidationError(_("Rank each of the group's priorities at most once."))
    ballot = PriorityBallot.objects.create(group=group, ranking=list(ranking))
    audit.record("groups.priority_vote", actor=actor, obj=group)
    return ballot


@service("groups.manage")
def update_action(actor, action, *, status, progress=""):
    action.status = status
    action.progress = progress
    action.full_clean()
    action.save()
    audit.record("groups.action_updated", actor=actor, obj=action.group,
                 detail={"action": action.pk, "status": status})
    return action


# Residents asking to join a community group ---------------------------------------------------

# The public form is open to anyone, so one contact may ask only a few times an hour (as a
# bidder may ask for only a few codes), and a group takes only so many requests an hour, so a
# flood cannot bury the real ones in its facilitator's list.
JOIN_REQUESTS_PER_CONTACT_PER_HOUR = 3
JOIN_REQUESTS_PER_GROUP_PER_HOUR = 20
# A request's name, contact and message are cleared this many days after it was made.
JOIN_CONTACT_DAYS = 90


def normalise_contact(contact: str) -> str:
    """An email address in lower case, or a phone number as its digits (a leading + kept);
    a ValidationError saying what is wrong otherwise."""
    from django.core.validators import validate_email

    text = " ".join(contact.split())
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Enter an email address in the right format, like "
                                    "name@example.com")) from None
        return text.lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 10 or len(digits) > 13 or any(
            ch not in "0123456789+ ()-" for ch in text):
        raise ValidationError(_("Enter an email address, or a phone number like 07700 900 982"))
    return ("+" if text.startswith("+") else "") + digits


@transaction.atomic
def ask_to_join(group, *, name: str, contact: str, message: str = "", now=None, language=None):
    """A resident's request to join a group, from the public pages (no account, no actor);
    `language` is the one they wrote in (default: the page's)."""
    from datetime import timedelta

    from .models import JoinRequest

    now = now or timezone.now()
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter your name")})
    try:
        contact = normalise_contact(contact)
    except ValidationError as e:
        raise ValidationError({"contact": e.messages[0]}) from None
    hour_ago = now - timedelta(hours=1)
    recent = JoinRequest.objects.filter(received_at__gte=hour_ago)
    if recent.filter(contact=contact).count() >= JOIN_REQUESTS_PER_CONTACT_PER_HOUR:
        raise ValidationError({"contact": _(
            "We have had %(count)d requests from this contact in the last hour. The "
            "facilitator will be in touch; or try again in an hour.") % {
                "count": JOIN_REQUESTS_PER_CONTACT_PER_HOUR}})
    if recent.filter(group=group).count() >= JOIN_REQUESTS_PER_GROUP_PER_HOUR:
        raise ValidationError(_("This group has had a lot of requests in the last hour. "
                                "Try again in an hour."))
    from soclocal.core.language import current, normalise

    request = JoinRequest.objects.create(group=group, name=name[:100], contact=contact,
                                         message=message.strip()[:1000],
                                         language=normalise(language or current()))
    # The audit trail says that a request came, never who made it.
    audit.record("groups.join_requested", obj=request, detail={"group": group.pk})
    return request


@service("groups.manage")
def answer_join_request(actor, join_request, *, answer: str, note: str = ""):
    """The facilitator's answer; welcoming someone adds them to the group by first name."""
    from .models import JoinRequest, Member

    # Keyed to the boxes of the join answer form.
    if answer not in JoinRequest.Answer.values:
        raise ValidationError({"answer": _("Choose what happened.")})
    if note is not None and not isinstance(note, str):
        raise ValidationError({"note": _("Write the note as text.")})
    note = note or ""
    if len(note.strip()) > 500:
        raise ValidationError({"note": _("Keep the note to 500 characters or fewer.")})
    if join_request.forgotten_at:
        raise ValidationError(_("This request's details have been cleared."))
    first_answer = not join_request.answer
    join_request.answer = answer
    join_request.answer_note = note.strip()
    join_request.answered_at = timezone.now()
    join_request.answered_by = actor
    join_request.save(update_fields=["answer", "answer_note", "answered_at", "answered_by"])
    if answer == JoinRequest.Answer.WELCOMED and first_answer:
        Member.objects.create(group=join_request.group, name=join_request.name.split()[0][:100])
    audit.record("groups.join_answered", actor=actor, obj=join_request,
                 detail={"group": join_request.group_id, "answer": answer})
    return join_request
