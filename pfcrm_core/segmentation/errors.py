"""Errors and notes of the segmentation models; messages in ``locales/segmentation.json``."""

from pfcrm_core.notes import KeyedModelError, Note

__all__ = ["Note", "SegmentationError"]


class SegmentationError(KeyedModelError):
    """The data or settings cannot support a segmentation."""
