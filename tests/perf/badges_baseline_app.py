"""The badge benchmark's baseline server: the real app, its badge page making each QR the
previous way (``bench_badges.previous_qr_svg``: qrcode's mask search, its SVG path factory,
an ElementTree round trip, nothing kept), served by the same gunicorn + gevent set-up."""

from gevent import monkey

monkey.patch_all()

from assembly import create_app  # noqa: E402
from assembly.registration import routes  # noqa: E402
from tests.perf.bench_badges import previous_qr_svg  # noqa: E402

routes.qr_svg = previous_qr_svg  # the name the badge route calls
app = create_app()
