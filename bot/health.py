"""`GET /health`: 200 with the database's state and the last update's time; 503 when the
database cannot be read, its last write failed (read-only, disk full, I/O error) and no write
has succeeded since, or the largest file the bot takes would no longer fit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.services import Services


class HealthHandler(RequestHandler):
    """Answers for load balancers and operators; says nothing about anyone's data."""

    def initialize(self, svc: Services) -> None:
        self.svc = svc

    async def get(self) -> None:
        health = await self.svc.db.health()
        usable = health.ok
        last = self.svc.last_update_at
        self.set_status(200 if usable else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps(
                {
                    "status": "ok" if usable else "unavailable",
                    "database": "ok" if usable else "unusable",
                    "problem": health.problem,
                    "free_mb": round(health.free_bytes / 1024 / 1024, 1),
                    "last_update_at": last.isoformat() if last else None,
                    "uptime_seconds": round(
                        (datetime.now(UTC) - self.svc.started_at).total_seconds()
                    ),
                }
            )
        )


def start_health_server(svc: Services, port: int, address: str = "0.0.0.0") -> HTTPServer:  # noqa: S104
    """Serve `/health` on `port` inside the running event loop."""
    app = Application([(r"/health", HealthHandler, {"svc": svc})])
    server = HTTPServer(app)
    server.listen(port, address)
    return server
