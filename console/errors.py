"""Errors the user must be told about, as opposed to bugs.

A UserError carries one line that says what went wrong, where, and what to do. The CLI
prints it and exits 2; the GUI shows it in a message box. Anything else is a bug: it is
logged with its traceback and reported through the crash dialog.
"""


class UserError(Exception):
    """A problem with the user's input or environment, explained in one line."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
