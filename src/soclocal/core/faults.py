"""Named points where the fault tests stop a process dead, as a power cut or `kill -9` would.

With SOCLOCAL_KILL_AT=<point>[:<n>] in the environment, the n-th time (default the first) the
process reaches `point("<point>")` it sends itself SIGKILL: no `finally`, no rollback by
Python, nothing flushed. Unset (always, outside the fault tests), a point does nothing. The
points: `crime.swap` (after each month is swapped into the crime store) and `import.progress`
(each progress report of an all-or-nothing file import: geography, deprivation, .pb files).
"""

import os
import signal

_SPEC = os.environ.get("SOCLOCAL_KILL_AT", "")  # read once: points sit in loops
_reached: dict[str, int] = {}


def point(name: str) -> None:
    if not _SPEC:
        return
    target, _, nth = _SPEC.partition(":")
    if target != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
