"""The production web server: gunicorn embedded through its application API, so that
`tnw serve` needs no separate configuration file."""

from __future__ import annotations

import os
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int = 1
    timeout: int = 60
    # A worker is replaced after this many requests (plus jitter), so that a slow leak in a
    # library cannot grow a worker without bound.
    max_requests: int = 5000
    max_requests_jitter: int = 500

    @staticmethod
    def default_workers() -> int:
        """gunicorn's advice for synchronous workers: 2 x CPUs + 1."""
        return 2 * (os.cpu_count() or 1) + 1

    def gunicorn_config(self) -> dict[str, object]:
        return {
            "bind": self.bind,
            "workers": self.workers,
            "threads": self.threads,
            "timeout": self.timeout,
            "max_requests": self.max_requests,
            "max_requests_jitter": self.max_requests_jitter,
            # Load Django once in the master: workers share its memory and start fast. No
            # database connection is open before the fork (Django connects on first use).
            "preload_app": True,
            "accesslog": "-",
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # gunicorn >= 25.1 opens a control socket in the home directory by default: two
            # servers on one host would share it. Operations use signals instead.
            "control_socket_disable": True,
        }


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: ServerOptions) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.gunicorn_config().items():
            if key in self.cfg.settings:  # settings of newer gunicorn versions only
                self.cfg.set(key, value)

    def load(self):  # type: ignore[no-untyped-def]
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def run(options: ServerOptions) -> None:
    """Serve until interrupted (SIGINT/SIGTERM stop gracefully)."""
    _Gunicorn(options).run()
