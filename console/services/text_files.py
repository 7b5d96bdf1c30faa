"""Writing a text file the user asked for (a report, a mapping) without half a file.

The text goes to `NAME.part` beside the target, renamed over it once complete: a full
disk or a cancelled write leaves the old file (or none), never a truncated one. The file
is its owner's alone (0600): reports carry call data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, cast

from console.errors import UserError
from console.private_files import open_private


@contextmanager
def replacing(path: Path, *, encoding: str = "utf-8",
              newline: str | None = None) -> Iterator[TextIO]:
    """A text stream whose content replaces `path` when the block ends without error.

    An OSError becomes a one-line UserError naming the file; the partial file is removed.
    """
    part = path.with_name(path.name + ".part")
    try:
        with open_private(part, "w", encoding=encoding, newline=newline) as stream:
            yield cast(TextIO, stream)
        part.replace(path)
    except OSError as exc:
        _remove(part)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(part)
        raise


def _remove(part: Path) -> None:
    """Remove the partial file, if there is one to remove (NAME.part may be a folder)."""
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)
