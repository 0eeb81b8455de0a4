"""The HTTP side: tornado routes `/bot<token>/<method>` and `/file/bot<token>/<path>`.

python-telegram-bot builds `base_url + token + "/" + method` for calls and
`base_file_url + token + "/" + file_path` for downloads, so with
`base_url="http://127.0.0.1:<port>/bot"` a call arrives at `/bot<token>/sendMessage`.
"""

from __future__ import annotations

import asyncio
import json
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.support.standin.methods import METHODS, prepare_get_updates
from tests.support.standin.params import ApiError, Params
from tests.support.standin.records import ApiCall, Fault, UploadedFile, default_description
from tests.support.standin.world import World

CLIENT_GONE = 499
"""The `status` of an ApiCall whose client hung up before the answer (nginx's convention)."""
DOWNLOAD = "(file download)"
"""The `method` of an ApiCall that downloaded a file."""

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


def _form_file_name(name: str) -> str:
    """Undo the HTML5 form escaping httpx applies to file names (a quote is sent as %22)."""
    return name.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


def _read_request(request: Any) -> tuple[dict[str, Any], dict[str, UploadedFile], str]:
    """(values, files, body kind) of a request, whatever its encoding."""
    values: dict[str, Any] = {k: v[-1].decode("utf-8") for k, v in request.query_arguments.items()}
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse the JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        return {**values, **body}, {}, "json"
    values.update({k: v[-1].decode("utf-8") for k, v in request.body_arguments.items()})
    files = {
        name: UploadedFile(_form_file_name(parts[0].filename), parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
    }
    if content_type.startswith("multipart/"):
        kind = "multipart"
    elif request.body_arguments:
        kind = "form"
    else:
        kind = "query" if request.query_arguments else "empty"
    return values, files, kind


class _BaseHandler(tornado.web.RequestHandler):
    def initialize(self, world: World, server: StandInServer) -> None:
        self.world = world
        self.server = server
        self.client_gone = False
        self.call: ApiCall | None = None

    def on_connection_close(self) -> None:
        self.client_gone = True
        self.world.changed()

    def _interrupted(self) -> bool | None:
        return True if self.client_gone or self.world.closing else None

    def _log_call(
        self,
        method: str,
        params: Params,
        kind: str,
        token: str,
    ) -> tuple[ApiCall, Fault | None]:
        """Record the call and take the fault meant for it in one step, so a test reacting
        to the call's arrival cannot slip a fault in for this very call."""
        call = ApiCall(
            method, params.values, params.files, kind, token == self.world.token, time.monotonic()
        )
        with self.world.lock:
            self.world.calls.append(call)
            fault = (
                self.world.take_fault(method, params.chat_id_if_any()) if call.token_ok else None
            )
        self.call = call
        self.world.changed()
        return call, fault

    async def _guarded(self, work: Callable[[], Awaitable[Any]]) -> None:
        """Answer `work()`'s result, or its ApiError as Telegram would; log it on the call."""
        self.server.in_flight += 1
        try:
            try:
                status, body = 200, {"ok": True, "result": await work()}
            except ApiError as error:
                status, body = error.error_code, error.body()
            except _ClientGone:
                status, body = CLIENT_GONE, {}
            except Exception:
                self.world.internal_errors.append(traceback.format_exc())
                status = 500
                body = {"ok": False, "error_code": 500, "description": "stand-in bug, see log"}
            if self.client_gone:
                status, body = CLIENT_GONE, {"description": "the client closed the connection"}
            if self.call is not None:
                self.world.finish_call(self.call, status, body.get("description"))
            if not self.client_gone:
                self.set_status(status)
                self.set_header("Content-Type", "application/json")
                self.finish(json.dumps(body))
        finally:
            self.server.in_flight -= 1
            self.world.changed()


def _bad_gateway() -> ApiError:
    return ApiError(502, "Bad Gateway")


class _ClientGone(Exception):
    """The client hung up while the call waited; Telegram never saw it."""


class _ApiHandler(_BaseHandler):
    async def get(self, token: str, method: str) -> None:
        async def work() -> Any:
            values, files, kind = _read_request(self.request)
            params = Params(values, files)
            call, fault = self._log_call(method, params, kind, token)
            if not call.token_ok:
                raise ApiError(401, "Unauthorized")
            return await self._dispatch(method, params, fault)

        await self._guarded(work)

    post = get

    async def _dispatch(self, method: str, params: Params, fault: Fault | None) -> Any:
        if self.world.down:
            raise _bad_gateway()
        if fault is None:
            return await self._carry_out(method, params)
        if fault.delay and not fault.delay_after_processing:
            await self.world.signal.wait_until(self._interrupted, fault.delay)
            if self.client_gone:
                raise _ClientGone
        if fault.error_code is not None:
            description = fault.description or default_description(
                fault.error_code, fault.retry_after
            )
            raise ApiError(fault.error_code, description, fault.retry_after)
        result = await self._carry_out(method, params)
        if fault.delay and fault.delay_after_processing:
            await self.world.signal.wait_until(self._interrupted, fault.delay)
        return result

    async def _carry_out(self, method: str, params: Params) -> Any:
        name = method.lower()
        if name == "getupdates":
            return await self._get_updates(params)
        handler = METHODS.get(name)
        if handler is None:
            raise ApiError(404, f"Not Found: method {method}")
        return handler(self.world, params)

    async def _get_updates(self, params: Params) -> Any:
        """Long polling: answer at once if updates wait, else when one arrives or time is up."""
        limit, timeout = prepare_get_updates(self.world, params)
        with self.world.lock:
            self.world.poll_generation += 1
            generation = self.world.poll_generation
        self.world.changed()  # an older poll still waiting now answers 409
        superseded: list[Any] = []
        outage: list[Any] = []

        def probe() -> list[Any] | None:
            if self.world.poll_generation != generation:
                return superseded
            if self.world.down:
                return outage
            if self._interrupted():
                return []
            return self.world.take_batch(limit) or None

        batch = await self.world.signal.wait_until(probe, timeout) if timeout else None
        if batch is superseded:
            raise ApiError(409, _CONFLICT)
        if batch is outage:
            raise _bad_gateway()
        return batch or self.world.take_batch(limit)


class _FileHandler(_BaseHandler):
    async def get(self, token: str, file_path: str) -> None:
        call, fault = self._log_call(DOWNLOAD, Params({"file_path": file_path}, {}), "empty", token)
        with self.world.lock:
            stored = self.world.files_by_path.get(file_path)
        if self.world.down:
            await self._guarded(self._outage)
            return
        if not call.token_ok or stored is None:
            await self._guarded(self._not_found)
            return
        if fault is not None and fault.delay:  # a slow download; a client may hang up meanwhile
            await self.world.signal.wait_until(self._interrupted, fault.delay)
            if self.client_gone:
                self.world.finish_call(call, CLIENT_GONE, "the client closed the connection")
                return
        self.world.finish_call(call, 200, None)
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(stored.data)

    async def _outage(self) -> Any:
        raise _bad_gateway()

    async def _not_found(self) -> Any:
        raise ApiError(404, "Not Found")


class StandInServer:
    """The tornado server of one World, running on the loop that calls `start`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.in_flight = 0
        self.port = 0
        self._http: tornado.httpserver.HTTPServer | None = None

    async def start(self) -> int:
        """Listen on 127.0.0.1 on a free port; returns the port."""
        handler_args = {"world": self.world, "server": self}
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z0-9_]+)", _ApiHandler, handler_args),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, handler_args),
            ],
            log_function=lambda handler: None,
        )
        body_limit = max(2 * self.world.limits.max_upload_bytes, 1 << 20)
        self._http = tornado.httpserver.HTTPServer(
            app, max_body_size=body_limit, max_buffer_size=body_limit
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening, end waiting long polls, close every connection."""
        if self._http is None:
            return
        self.world.closing = True
        self.world.changed()
        self._http.stop()
        await self.world.signal.wait_until(lambda: True if self.in_flight == 0 else None, 5.0)
        await self._http.close_all_connections()
        self._http = None
        await asyncio.sleep(0)  # let finished handler tasks be collected
