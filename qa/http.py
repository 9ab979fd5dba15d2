"""Small request helpers shared by views."""


def wants_json(request) -> bool:
    """The page's script asked for JSON (fetch with Accept: application/json), not HTML."""
    return "application/json" in request.headers.get("Accept", "")
