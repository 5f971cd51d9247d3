"""Every Bot API call of the bot: sent over aiohttp, and noted for /healthz.

python-telegram-bot's own client (httpx over anyio) spends about twice the CPU per call of
aiohttp, which the bot already uses for its webhook; at the bot's rates the HTTP stack was half
of all the CPU an update costs. TrackedRequest is python-telegram-bot's documented way to bring
another HTTP library (a BaseRequest): the framework still builds every request and reads every
answer, only the transport differs.
"""

from __future__ import annotations

import functools
import json
import time

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

# python-telegram-bot's defaults for its own client, kept.
READ_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


class TelegramCalls:
    """The one record of how calls to Telegram are going, for /healthz."""

    def __init__(self) -> None:
        self.last_ok: float | None = None
        self.failing_since: float | None = None

    def succeeded(self) -> None:
        self.last_ok = time.time()
        self.failing_since = None

    def failed(self) -> None:
        if self.failing_since is None:
            self.failing_since = time.time()

    def failing_for(self, now: float) -> float:
        """Seconds every call has failed (0 while calls succeed; an idle bot is not failing)."""
        return 0.0 if self.failing_since is None else now - self.failing_since


class TrackedRequest(BaseRequest):
    """The bot's HTTP client for the Bot API, noting each answer (< 500) or failure."""

    def __init__(
        self,
        calls: TelegramCalls,
        *,
        connection_pool_size: int = 1,
        read_timeout: float = READ_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        pool_timeout: float = POOL_TIMEOUT,
    ) -> None:
        self.calls = calls
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This TrackedRequest is not initialized!")
        limits = _limits(
            _given(read_timeout, self._read_timeout),
            _given(write_timeout, MEDIA_WRITE_TIMEOUT) if _has_files(request_data) else None,
            _given(connect_timeout, self._connect_timeout),
            _given(pool_timeout, self._pool_timeout),
        )
        try:
            status, body = await self._send(url, method, request_data, limits)
        except Exception:
            self.calls.failed()
            raise
        if status < 500:
            self.calls.succeeded()
        else:
            self.calls.failed()
        return status, body

    async def _send(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        assert self._session is not None
        try:
            data, headers = _body(request_data)
            proxy, proxy_auth = self._proxy_for(url)
            async with self._session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=limits,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc

    def _proxy_for(self, url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as python-telegram-bot's client honours them.

        Read once per Bot API address: aiohttp's trust_env would look them (and ~/.netrc) up
        again on every call, in two trips to a thread.
        """
        base = url.rpartition("/")[0]
        if base not in self._proxies:
            try:
                self._proxies[base] = get_env_proxy_for_url(URL(url))
            except LookupError:
                self._proxies[base] = (None, None)
        return self._proxies[base]


@functools.cache
def _limits(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """python-telegram-bot's four timeouts as aiohttp's (a handful of combinations, kept)."""
    return aiohttp.ClientTimeout(
        # aiohttp has no write timeout: an upload may take its write and read time in all.
        total=None if read is None or write is None else read + write,
        # Waiting for a free connection, then opening one.
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect,
        sock_read=read,
    )


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _has_files(request_data: RequestData | None) -> bool:
    return request_data is not None and request_data.contains_files


def _body(
    request_data: RequestData | None,
) -> tuple[bytes | aiohttp.FormData | None, dict[str, str]]:
    """Files as multipart, as Telegram requires; everything else as one UTF-8 JSON body.

    JSON, which the Bot API accepts for every method, is encoded in C; the form encoding
    python-telegram-bot uses escapes byte by byte in Python (Khmer text: nine bytes a letter).
    Encoding to UTF-8 here fails on a lone surrogate before anything is sent, as before.
    """
    if request_data is None:
        return None, {}
    if not request_data.contains_files:
        payload = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
        return payload, {"Content-Type": "application/json"}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, {}
