"""What every linked-data tool shares: the one error type, and which RDF format a file is."""

from __future__ import annotations

import os
from pathlib import Path

from plankg.exports import formats
from plankg.exports.formats import Format


class LinkedDataError(Exception):
    """A problem the user can fix (unreadable file, bad query, server refused): one line, no traceback."""


def rdf_file_format(path: str | os.PathLike[str]) -> Format:
    """The RDF format of a file by its suffix, from the format registry (read-only ones included)."""
    fmt = formats.for_path(path, formats.RDF)
    if fmt is None:
        suffix = Path(path).suffix.lower()
        raise LinkedDataError(
            f"{path}: unknown RDF file type {suffix!r}; use one of {formats.suffixes(formats.RDF)}"
        )
    return fmt
