"""Errors the user reads: each carries one sentence that says what is wrong."""


class UserError(Exception):
    """Bad input from a person: a date, a cadence, a name.  The message is shown as is."""


class DateError(UserError):
    pass


class CadenceError(UserError):
    pass


class LookupFailed(UserError):
    pass
