"""Exceptions that map to exit codes (DESIGN §11), and the exit codes themselves.

Messages are Chinese, for users. Every exit code the CLI and batch use is named here: the values
are a documented contract (README), so no module writes a bare number.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit-code contract of ``check``/``evaluate``/``report``/``audit``/``batch``."""

    OK = 0
    DATA = 1  # data errors found / mismatches found
    USAGE = 2  # bad arguments, bad framework file, refusing to overwrite …
    INPUT = 3  # unreadable input
    INTERNAL = 4  # an unexpected internal error (a bug)
    INTERRUPTED = 130  # Ctrl-C (the shell convention 128 + SIGINT)


EXIT_OK = ExitCode.OK
EXIT_DATA = ExitCode.DATA
EXIT_USAGE = ExitCode.USAGE
EXIT_INPUT = ExitCode.INPUT
EXIT_INTERNAL = ExitCode.INTERNAL
EXIT_INTERRUPTED = ExitCode.INTERRUPTED


class JixiaoError(Exception):
    """Base: carries a Chinese message and an exit code; the CLI prints it, never a traceback."""

    exit_code: int = EXIT_USAGE

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


class OptionError(ValueError):
    """A library option with a bad value (an evaluation threshold, an output format …).

    A ``ValueError``, so the library never raises a shell's exception; every shell maps it (the
    CLI to a usage error, exit 2; the web page to a 400). ``message`` and ``hint`` are Chinese."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


__all__ = [
    "EXIT_DATA",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "ExitCode",
    "FrameworkError",
    "InputError",
    "JixiaoError",
    "OptionError",
    "UsageError",
]
