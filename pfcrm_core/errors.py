"""Exceptions raised by pfcrm_core.

Every message names the thing that failed (file, table, row, column, value) and
what to do next, because the app shows it to analysts as it is.
"""


from pfcrm_core.i18n import translate


class PfcrmError(Exception):
    """Base class for errors a user can act on."""


class KeyedError(PfcrmError):
    """An error whose message is a catalogue entry, so the app can translate it.

    The exception text is the English message; the app shows ``key`` with
    ``values`` in the user's language.

    Attributes
    ----------
    key : str
        Translation key of the message (``pfcrm_core/locales``).
    values : dict
        Placeholder values of the message.
    """

    def __init__(self, key: str, **values: object):
        super().__init__(translate(key, "en", **values))
        self.key = key
        self.values = values


class StoreBusyError(PfcrmError):
    """The database file is locked by another process after retrying."""


class SchemaError(PfcrmError):
    """The database file has a schema this version cannot use or migrate."""


class ImportFileError(PfcrmError):
    """A file cannot be read at all: empty, corrupt, encrypted or of a wrong type."""


class ImportRejected(PfcrmError):
    """An import was refused; ``problems`` lists each rejected row and reason."""

    def __init__(self, message: str, problems=None):
        super().__init__(message)
        self.problems = list(problems or [])


class UndoError(PfcrmError):
    """An import cannot be undone (already undone, or later imports depend on it)."""


class ModelError(PfcrmError):
    """A model cannot be fitted on the data given (too little data, no variation)."""


class KeyedModelError(KeyedError, ModelError):
    """A model cannot run on the data or settings given; the message is translatable."""
