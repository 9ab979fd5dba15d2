"""How a webhook delivery is signed, and how a receiver checks it (this module needs only the standard
library, so a receiver may copy it as it is).

The sender adds `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`.
A receiver recomputes the HMAC over the raw body it received, compares in constant time, and refuses a
timestamp older (or further in the future) than a few minutes: a captured delivery replayed later fails."""

import hashlib
import hmac
import time

HEADER = "X-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True if `header` signs `body` with `secret` and its timestamp is within `tolerance` seconds of now."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
