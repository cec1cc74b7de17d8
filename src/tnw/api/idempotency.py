"""Idempotency keys on POSTs: a retried request (same client, same `Idempotency-Key`, same
method, path and body) gets the first response back and never stores anything twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from tnw.api.errors import ApiError
from tnw.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY = 200


def _request_hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, digest: str) -> Response:
    if record.request_hash != digest:
        raise ApiError(422, "idempotency_key_reused")
    return Response(record.body, status=record.status, headers={"Idempotent-Replayed": "true"})


def idempotent(request: Request, run: Callable[[], Response]) -> Response:
    """`run()` once per key: its (successful) response is stored in the same transaction as
    whatever it stored, so a crash between the two cannot happen."""
    key = request.headers.get(HEADER)
    if not key:
        return run()
    if len(key) > MAX_KEY:
        raise ApiError(400, "invalid", f"{HEADER} is longer than {MAX_KEY} characters")
    client = request.auth
    digest = _request_hash(request)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.filter(client=client, key=key).first()
            if record is not None:
                return _replay(record, digest)
            response = run()
            body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
            IdempotencyRecord.objects.create(
                client=client, key=key, method=request.method, path=request.path[:500],
                request_hash=digest, status=response.status_code, body=body,
            )  # fmt: skip
            return response
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        record = IdempotencyRecord.objects.get(client=client, key=key)
        return _replay(record, digest)
