"""Errors the user reads: each carries one sentence that says what is wrong."""


class UserError(Exception):
    """Bad input from a person: a date, a cadence, a name.  The message is shown as is."""


class DateError(UserError):
    pass


class CadenceError(UserError):
    pass


class WordsError(UserError):
    """Words given to an option in a way they cannot be read (a usage error, exit 2)."""


class LookupFailed(UserError):
    pass


class NoSuchPerson(LookupFailed):
    """A name that matches no one (not several): the app may offer to add them."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name
