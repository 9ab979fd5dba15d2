"""The composition root: settings, URLs, WSGI/ASGI, the home page, demo data,
backup and restore, security headers and the navigation. It is the only package
that may import every app (scorecards <- shops <- qa <- reports <- config)."""
