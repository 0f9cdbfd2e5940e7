"""WSGI entry point: ``gunicorn -k gevent -w 1 --worker-connections 2000 --no-control-socket wsgi:app``.

gevent must patch the standard library before anything else imports sockets, threads or SQLite
drivers, so this happens first, here and nowhere else.
"""

from gevent import monkey

monkey.patch_all()

from assembly import create_app  # noqa: E402

app = create_app()
