"""A real S3-protocol server for tests: moto in server mode on a free loopback port, behind
a check of presigned URLs (signature and expiry), which real S3 makes and moto does not."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

ACCESS_KEY = "testing"
SECRET_KEY = "testing"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def presign_problem(method: str, raw_uri: str, host: str, secret_key: str, now: datetime) -> str | None:
    """Why a SigV4 presigned request is refused (None when valid), as S3 would judge it."""
    path, _, query = raw_uri.partition("?")
    pairs = [pair.partition("=") for pair in query.split("&") if pair]
    params = {k: v for k, _, v in pairs}
    try:
        credential = dict(parse_qsl(query))["X-Amz-Credential"]
        signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expires = int(params["X-Amz-Expires"])
    except (KeyError, ValueError):
        return "AuthorizationQueryParametersError"
    canonical_query = "&".join(f"{k}={v}" for k, _, v in sorted(p for p in pairs if p[0] != "X-Amz-Signature"))
    canonical = f"{method}\n{path}\n{canonical_query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD"
    scope = credential.split("/", 1)[1]
    date, region, service, _ = scope.split("/")
    to_sign = f"AWS4-HMAC-SHA256\n{params['X-Amz-Date']}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), date), region), service), "aws4_request")
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, params.get("X-Amz-Signature", "")):
        return "SignatureDoesNotMatch"
    if now > signed_at + timedelta(seconds=expires):
        return "AccessDenied: Request has expired"
    return None


def _error(start_response: Callable[..., Any], code: str, message: str) -> list[bytes]:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
    start_response("403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


class PresignCheck:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        if "X-Amz-Signature=" not in raw_uri:
            return self.app(environ, start_response)
        problem = presign_problem(
            environ["REQUEST_METHOD"], raw_uri, environ.get("HTTP_HOST", ""), SECRET_KEY, datetime.now(UTC)
        )
        if problem:
            return _error(start_response, problem.split(":")[0], problem)
        # Validly signed. For a missing key, moto mistakes ``response-content-type`` for a
        # signed upload header and answers SignatureDoesNotMatch; S3 answers 403 AccessDenied
        # when the signer may not list the bucket (the least-privilege setup), so do that.
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers)
            return lambda _: None

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        if answer["status"].startswith("403") and b"SignatureDoesNotMatch" in body:
            return _error(start_response, "AccessDenied", "Access Denied")
        start_response(answer["status"], answer["headers"])
        return [body]


class FailPutsAfter:
    """S3 that stops taking uploads: every PutObject after the first ``allowed`` answers
    503 SlowDown (what S3 says when it sheds load), reads and deletes still work. Setting
    ``allowed = None`` lets uploads through again; ``taken`` lists the paths it let through."""

    def __init__(self, app: WSGIApp, allowed: int | None) -> None:
        self.app, self.allowed, self.puts = app, allowed, 0
        self.taken: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] == "PUT" and path.count("/") >= 2 and not path.endswith("/"):
            with self._lock:
                self.puts += 1
                refused = self.allowed is not None and self.puts > self.allowed
                if not refused:
                    self.taken.append(path)
            if refused:
                body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
                start_response("503 Slow Down", headers)
                return [body]
        return self.app(environ, start_response)


class S3Server:
    def __init__(self, *, allowed_puts: int | None = None) -> None:
        self.allowed_puts = allowed_puts
        self.put_faults: FailPutsAfter | None = None
        self.endpoint = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # Imported here: moto is heavy, and most test runs never start it.
        from moto.moto_server.werkzeug_app import MotoRequestHandler
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        app: WSGIApp = PresignCheck(DomainDispatcherApplication(create_backend_app))
        if self.allowed_puts is not None:
            app = self.put_faults = FailPutsAfter(app, self.allowed_puts)
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> S3Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def storage_settings(self, bucket: str | None = None, **extra: Any) -> dict[str, Any]:
        """Settings for S3Storage against this server, in a bucket of its own (moto keeps
        every bucket in one process-wide backend, so a fresh name isolates a test)."""
        return {
            "backend": "s3",
            "s3_endpoint_url": self.endpoint,
            "s3_region": "us-east-1",
            "s3_bucket": bucket or f"atelier-{secrets.token_hex(6)}",
            "s3_access_key_id": ACCESS_KEY,
            "s3_secret_access_key": SECRET_KEY,
            "s3_create_bucket": True,
            **extra,
        }
