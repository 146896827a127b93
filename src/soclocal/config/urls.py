from django.urls import include, path

from soclocal.api import api

urlpatterns = [
    path("", include("soclocal.core.urls")),
    path("", include("soclocal.accounts.urls")),
    path("areas/", include("soclocal.areas.urls")),
    path("crime/", include("soclocal.crime.urls")),
    path("profiles/", include("soclocal.profiles.urls")),
    path("evaluation/", include("soclocal.evaluation.urls")),
    path("cases/", include("soclocal.cases.urls")),
    path("engagement/", include("soclocal.engagement.urls")),
    path("budgeting/", include("soclocal.budgeting.urls")),
    path("intelligence/", include("soclocal.intelligence.urls")),
    path("priorities/", include("soclocal.priorities.urls")),
    path("plans/", include("soclocal.responses.urls")),
    path("vulnerability/", include("soclocal.safeguarding.urls")),
    path("partnership/", include("soclocal.partnership.urls")),
    path("board/", include("soclocal.dashboards.urls")),
    # Public pages for community members: no sign-in, never personal data.
    path("community/", include("soclocal.engagement.public_urls")),
    path("api/v1/", api.urls),
]

handler403 = "soclocal.core.views.forbidden"
handler404 = "soclocal.core.views.not_found"
handler500 = "soclocal.core.views.server_error"
