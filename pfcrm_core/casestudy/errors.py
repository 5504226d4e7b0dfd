"""The case study's error: a project or a table that cannot support the case."""

from pfcrm_core.notes import KeyedModelError


class CaseStudyError(KeyedModelError):
    """The case cannot be built from the data given; the message is translatable.

    ``key`` is a ``case_study.error.*`` catalogue key and ``values`` its
    placeholders, so the app shows the message in the reader's language.
    """
