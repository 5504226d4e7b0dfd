"""Errors and notes of the client relationship network; messages in
``locales/network.json``."""

from pfcrm_core.notes import KeyedModelError, Note

__all__ = ["NetworkError", "Note"]


class NetworkError(KeyedModelError):
    """The data or settings cannot support the network analysis."""
