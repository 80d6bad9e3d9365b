"""Exceptions that map to exit codes (DESIGN §11). Messages are Chinese, for users."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA = 1      # data errors found / mismatches found
EXIT_USAGE = 2     # bad arguments, bad framework file, refusing to overwrite …
EXIT_INPUT = 3     # unreadable input


class JixiaoError(Exception):
    """Base: carries a Chinese message and an exit code; the CLI prints it, never a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(JixiaoError):
    exit_code = EXIT_USAGE


class InputError(JixiaoError):
    """The input file cannot be read at all (not xlsx, empty, truncated, encrypted, .xls …)."""

    exit_code = EXIT_INPUT


class FrameworkError(UsageError):
    """A scoring framework file is invalid; the message names the key and line."""
