"""Pseudonymous keys: once a young person is linked (or not) to the police data, the
evaluation keeps only a keyed hash of who they are, never a name or a date of birth
(decision 0044). The key is `settings.EVALUATION_KEY`; without it, one derived from the
installation's secret key. The same key gives the same pseudonym, so runs can be compared;
a new key breaks every link with the past.
"""

import hashlib
import hmac


def secret() -> bytes:
    from django.conf import settings

    key = getattr(settings, "EVALUATION_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"soclocal evaluation pseudonyms",
                    hashlib.sha256).digest()


def pseudonym(kind: str, reference, key: bytes | None = None) -> str:
    """A keyed hash of a record's reference: 16 hexadecimal characters."""
    digest = hmac.new(key if key is not None else secret(), f"{kind}:{reference}".encode(),
                      hashlib.sha256).hexdigest()
    return digest[:16]
