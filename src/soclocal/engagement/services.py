"""Every change to stories (and the rest of community engagement), each one audited."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from soclocal.core import audit
from soclocal.core.access import service

from .models import Story


@service("stories.review")
def gather_story(actor, *, title, text, consent_keep, consent_share=False,
                 consent_publish=False, tags="", audio=None) -> Story:
    if not consent_keep:
        raise ValidationError("A story can only be kept with the teller's consent to keep it.")
    story = Story(title=title, text=text, tags=tags, audio=audio, consent_keep=True,
                  consent_share=consent_share, consent_publish=consent_publish)
    story.full_clean()
    story.save()
    audit.record("stories.gathered", actor=actor, obj=story,
                 detail={"share": consent_share, "publish": consent_publish})
    return story


@service("stories.review")
def review_story(actor, story: Story, *, anonymised_text: str) -> Story:
    if story.status == Story.Status.WITHDRAWN:
        raise ValidationError("Consent for this story has been withdrawn.")
    if not anonymised_text.strip():
        raise ValidationError("Write the anonymised version of the story.")
    story.anonymised_text = anonymised_text.strip()
    story.status = Story.Status.REVIEWED
    story.reviewed_at = timezone.now()
    story.save()
    audit.record("stories.reviewed", actor=actor, obj=story)
    return story


@service("stories.review")
def publish_story(actor, story: Story) -> Story:
    if story.status != Story.Status.REVIEWED:
        raise ValidationError("A story is published only after its anonymisation review.")
    if not story.consent_publish:
        raise ValidationError("The teller has not consented to publishing this story.")
    story.status = Story.Status.PUBLISHED
    story.save(update_fields=["status"])
    audit.record("stories.published", actor=actor, obj=story)
    return story


@service("stories.review")
def withdraw_consent(actor, story: Story, *, reason: str = "") -> Story:
    """The teller withdraws consent: the story leaves every public page, export and search,
    and its words and audio are erased; only the fact of withdrawal remains."""
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
                 detail={"reason": reason.strip(), "audio_erased": had_audio})
    return story


# Events, harvest and coding ------------------------------------------------------------------

@service("engagement.manage")
def create_event(actor, **fields):
    from .frames import ensure_built_in_frames
    from .models import Event

    ensure_built_in_frames()
    event = Event(**fields)
    event.full_clean()
    event.save()
    audit.record("engagement.event_created", actor=actor, obj=event,
                 detail={"kind": event.kind, "participants": event.participants})
    return event


@service("engagement.manage")
def harvest(actor, event, *, text: str, table=None, round=None, question="") -> list:
    """Insights typed quickly: one a line."""
    from .models import Insight

    lines = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
    if not lines:
        raise ValidationError("Type at least one insight.")
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
        raise ValidationError("A coding frame needs at least one code.")
    if CodingFrame.objects.filter(name=name).exists():
        raise ValidationError("There is already a coding frame with that name.")
    frame = CodingFrame.objects.create(name=name, description=description)
    for label in dict.fromkeys(labels):
        Code.objects.create(frame=frame, label=label[:200])
    audit.record("engagement.frame_created", actor=actor, obj=frame)
    return frame


@service("engagement.manage")
def save_theme_output(actor, event, theme, *, resonance, more_of="", less_of="",
                      do_differently=""):
    from .models import ThemeOutput

    if not 1 <= int(resonance) <= 5:
        raise ValidationError("Resonance is from 1 to 5.")
    output, _ = ThemeOutput.objects.update_or_create(
        event=event, theme=theme, defaults={"resonance": resonance, "more_of": more_of,
                                            "less_of": less_of,
                                            "do_differently": do_differently})
    audit.record("engagement.theme_output_saved", actor=actor, obj=event,
                 detail={"theme": theme.pk, "resonance": int(resonance)})
    return output


# Community groups ----------------------------------------------------------------------------

@service("groups.manage")
def create_group(actor, *, name, area=None):
    from .models import CommunityGroup

    group = CommunityGroup.objects.create(name=name, area=area)
    if actor is not None:
        group.facilitators.add(actor)
    audit.record("groups.created", actor=actor, obj=group)
    return group


@service("groups.manage")
def add_to_group(actor, group, what: str, **fields):
    """Add a member, meeting, priority or action to a group's space."""
    from .models import Action, Meeting, Member, Priority

    model = {"member": Member, "meeting": Meeting, "priority": Priority, "action": Action}[what]
    if what == "priority" and group.ballots.exists():
        raise ValidationError("Voting on priorities has started; add new ones after it.")
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
        raise ValidationError("Rank at least one priority.")
    if len(set(ranking)) != len(ranking) or not set(ranking) <= ids:
        raise ValidationError("Rank each of the group's priorities at most once.")
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
