"""Static files for `tnw serve`: WhiteNoise's hashed, compressed storage, gzip only.

Brotli at WhiteNoise's quality takes minutes for the API documentation's multi-megabyte
bundles on a small machine, at every start; gzip is what every browser accepts."""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return super().create_compressor(use_brotli=False, **kwargs)
