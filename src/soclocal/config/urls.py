from django.urls import include, path

from soclocal.api import api

urlpatterns = [
    path("", include("soclocal.core.urls")),
    path("", include("soclocal.accounts.urls")),
    path("areas/", include("soclocal.areas.urls")),
    path("api/v1/", api.urls),
]

handler403 = "soclocal.core.views.forbidden"
handler404 = "soclocal.core.views.not_found"
handler500 = "soclocal.core.views.server_error"
