"""The request being served, for services that audit without being handed it."""

from contextvars import ContextVar

_request: ContextVar = ContextVar("soclocal_request", default=None)


def current_request():
    return _request.get()


def set_current_request(request):
    return _request.set(request)


def reset_current_request(token):
    _request.reset(token)
