"""Work a web process would otherwise do on its first requests, done once when it starts.

A fresh process spends about 1 s importing every view (the URLconf is loaded on the first request)
and 0.5 s compiling templates (each cached on its first use), more on a busy 2-core machine. Under
gunicorn with `preload_app` this runs once in the master, before the workers are forked: they start
warm, and a worker recycled after `max_requests` is ready at once. It makes no query, so the
workers share no database connection."""

from pathlib import Path

from django.template import TemplateSyntaxError, engines
from django.urls import reverse


def warm_up() -> int:
    """Load the URLconf and compile every HTML template; returns how many templates were compiled."""
    reverse("login")  # imports every urls module and view, and builds the reverse map
    compiled = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            for path in sorted(Path(directory).rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except TemplateSyntaxError:
                    # A template of a library that needs something not installed here: left to
                    # fail where it is used, as it would have without the warm-up.
                    continue
                compiled += 1
    return compiled
