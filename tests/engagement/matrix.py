"""The engagement pages (staff and public) for the access matrix."""

PUBLIC = "public"

PAGES = {
    "engagement:home": ("engagement.view", False),
    "engagement:stories": ("stories.review", False),
    "engagement:story_new": ("stories.review", False),
    "engagement:stories_export": ("engagement.view", False),
    "engagement:story": ("stories.review", False),
    "engagement:story_publish": ("stories.review", True),
    "engagement:story_withdraw": ("stories.review", True),
    "engagement:story_audio": ("stories.review", False),
    "engagement:events": ("engagement.view", False),
    "engagement:event_new": ("engagement.manage", False),
    "engagement:event": ("engagement.view", False),
    "engagement:event_seating": ("engagement.view", False),
    "engagement:insight_code": ("engagement.manage", True),
    "engagement:theme_output": ("engagement.manage", True),
    "engagement:report": ("engagement.view", False),
    "engagement:report_quotes": ("engagement.view", False),
    "engagement:report_csv": ("engagement.view", False),
    "engagement:frame_new": ("engagement.manage", False),
    "engagement:groups": ("groups.manage", False),
    "engagement:group": ("groups.manage", False),
    "engagement:join_requests": ("groups.manage", False),
    "engagement:join_request_answer": ("groups.manage", True),
    "community:home": (PUBLIC, False),
    "community:stories": (PUBLIC, False),
    "community:story": (PUBLIC, False),
    "community:process": (PUBLIC, False),
    "community:bid_start": (PUBLIC, False),
    "community:bid_verify": (PUBLIC, False),
    "community:bid_new": (PUBLIC, False),
    "community:vote": (PUBLIC, False),
    "community:vote_done": (PUBLIC, False),
    "community:results": (PUBLIC, False),
    "community:update_photo": (PUBLIC, False),
    "community:group_join": (PUBLIC, False),
    "community:group_join_sent": (PUBLIC, False),
    "community:tell_us": (PUBLIC, False),
    "community:tell_us_sent": (PUBLIC, False),
}

API = {}


def context():
    from soclocal.engagement.models import Story

    story = Story.objects.create(title="A published story", text="As told",
                                 anonymised_text="As shared", consent_keep=True,
                                 consent_share=True, consent_publish=True,
                                 status=Story.Status.PUBLISHED)
    import datetime

    from soclocal.engagement.models import Event

    event = Event.objects.create(kind=Event.Kind.WORLD_CAFE, title="Matrix café",
                                 date=datetime.date(2025, 5, 1), tables=3, rounds=2,
                                 community_representatives=12)
    insight = event.insights.create(text="More youth clubs")
    from soclocal.accounts.models import User
    from soclocal.engagement.models import CommunityGroup

    # Each facilitator in the matrix facilitates the group, so its space is in their scope.
    group = CommunityGroup.objects.create(name="Matrix group")
    group.facilitators.set(User.objects.all())
    join = group.join_requests.create(name="Ash", contact="ash@example.org")
    return {"story": story.pk, "event": event.pk, "insight": insight.pk, "group": group.pk,
            "join_request": join.pk}


def url_kwargs(name, ctx):
    if name == "community:update_photo":
        return {"slug": ctx.get("pb_slug", "matrix-budget"), "pk": 1}
    if name in ("engagement:story", "engagement:story_publish", "engagement:story_withdraw",
                "engagement:story_audio", "community:story"):
        return {"pk": ctx.get("story", 1)}
    if name in ("engagement:event", "engagement:event_seating", "engagement:theme_output"):
        return {"pk": ctx.get("event", 1)}
    if name in ("engagement:group", "engagement:join_requests", "community:group_join",
                "community:group_join_sent"):
        return {"pk": ctx.get("group", 1)}
    if name == "engagement:join_request_answer":
        return {"pk": ctx.get("group", 1), "request_pk": ctx.get("join_request", 1)}
    if name == "engagement:insight_code":
        return {"pk": ctx.get("event", 1), "insight": ctx.get("insight", 1)}
    if name.startswith("community:") and name not in ("community:home", "community:stories",
                                                      "community:tell_us",
                                                      "community:tell_us_sent"):
        return {"slug": ctx.get("pb_slug", "matrix-budget")}
    return None


def api_path(template, ctx):
    return template
