"""plankg: Chinese government plan news in, a linked knowledge graph out."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plankg")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"


def build(*args, **kwargs):
    """Build a graph; see plankg.api.build (imported lazily: spaCy is slow to import)."""
    from .api import build as _build

    return _build(*args, **kwargs)


__all__ = ["build", "__version__"]
