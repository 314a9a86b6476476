import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

from config.warmup import warm_up  # noqa: E402  (needs the apps loaded)

warm_up()
