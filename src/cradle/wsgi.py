import os

from django.core.wsgi import get_wsgi_application

from cradle.server_banner import hide_gunicorn_banner

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cradle.settings")
application = get_wsgi_application()
hide_gunicorn_banner()
