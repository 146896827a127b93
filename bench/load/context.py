"""Signs the demo's role accounts in (sessions made directly, as a sign-in would) and finds
the generated fund, for the load test. Prints the JSON `locustfile.py` reads."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soclocal.config.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from soclocal.accounts.models import User  # noqa: E402
from soclocal.budgeting.models import Process  # noqa: E402

sessions = {}
for role in ("practitioner", "analyst", "intel", "facilitator", "board", "admin"):
    user = User.objects.get(username=role)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions[role] = store.session_key
fund = Process.objects.get(slug="scale-fund-001")
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions,
    "paths": {"process": f"/budgeting/{fund.pk}/",
              "public_process": f"/community/budgets/{fund.slug}/",
              "vote": f"/community/budgets/{fund.slug}/vote/"}}))
