"""Messages for what goes wrong outside a command's own logic: output that cannot be written
or shown, paths the system refuses. No Typer here: the fast `factdb query` path uses them."""

from __future__ import annotations

import errno
import os
import sys

# Failures of writing to stdout itself (a full device, a closed pipe): they name no file.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG, errno.EDQUOT}
_LONGEST_SHOWN = 80  # characters of a path shown in a message; a longer one is shortened


def os_error_message(exc: OSError) -> str:
    """The message for an OSError that reached the CLI; empty for a closed pipe."""
    if exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
        _discard_output()
        if exc.errno == errno.EPIPE:  # `factdb query ... | head`: the reader has had enough
            return ""
        return f"could not write the output ({exc.strerror})"
    where = shorten(os.fsdecode(exc.filename)) if exc.filename is not None else None
    if exc.errno == errno.ENAMETOOLONG:
        what = "file name too long for the file system; choose a shorter name"
    else:
        what = exc.strerror or str(exc)
    return f"{where}: {what}" if where else what


def _discard_output() -> None:
    """Point stdout at /dev/null, so that what is still buffered is not written again (and
    failing again) when Python exits."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (tests capture output in memory)
        pass


def unshowable(exc: UnicodeEncodeError) -> str:
    char = exc.object[exc.start] if exc.start < len(exc.object) else "?"
    if "\ud800" <= char <= "\udfff":
        return (f"a name or text holds bytes that are not UTF-8 (byte 0x{ord(char) & 0xFF:02x}"
                "), which cannot be shown; rename the file, or give the text in UTF-8")
    return (f"the output holds {char!r} (U+{ord(char):04X}), which the output's encoding "
            f"({exc.encoding}) cannot show; set PYTHONIOENCODING=utf-8 or use a UTF-8 locale")


def shorten(text: str) -> str:
    if len(text) <= _LONGEST_SHOWN:
        return text
    half = _LONGEST_SHOWN // 2
    return f"{text[:half]}…{text[-half:]}"
