"""The five steps of the implementation roadmap and their checklist items.

Each item has a stable key, ``<step>.<name>``, under which its progress is stored
(``Store.set_checklist_item``) and its text is found in the catalogue
(``roadmap.item.<key>``). An item with a ``measure`` is judged from the store by
``pfcrm_core.roadmap.measures``. Keys must never be renamed, because stored
progress refers to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item.

    Attributes
    ----------
    key : str
        Stable key ``<step>.<name>``.
    measure : str or None
        Name of the measure in ``measures.MEASURES`` that decides whether the item
        is met, or None for an item that people tick by hand.
    """

    key: str
    measure: str | None = None

    @property
    def step(self) -> str:
        """Key of the step the item belongs to."""
        return self.key.split(".", 1)[0]

    @property
    def measured(self) -> bool:
        """Whether the store decides the item rather than a person."""
        return self.measure is not None


@dataclass(frozen=True)
class Step:
    """One roadmap step and its items, in the order people work through them."""

    key: str
    items: tuple[ChecklistItem, ...]


STEPS: tuple[Step, ...] = (
    Step("goals", (
        ChecklistItem("goals.objectives"),
        ChecklistItem("goals.sponsor"),
        ChecklistItem("goals.client_scope"),
        ChecklistItem("goals.client_types", measure="client_types"),
        ChecklistItem("goals.kpis"),
        ChecklistItem("goals.use_cases"),
        ChecklistItem("goals.confidentiality"),
    )),
    Step("data", (
        ChecklistItem("data.core_tables", measure="core_tables"),
        ChecklistItem("data.one_id_per_entity", measure="one_id_per_entity"),
        ChecklistItem("data.references", measure="references"),
        ChecklistItem("data.credit_history", measure="credit_history"),
        ChecklistItem("data.rm_coverage", measure="rm_coverage"),
        ChecklistItem("data.quality_score", measure="quality_score"),
        ChecklistItem("data.timeliness", measure="timeliness"),
        ChecklistItem("data.owners"),
    )),
    Step("tools", (
        ChecklistItem("tools.advisor"),
        ChecklistItem("tools.clv_history", measure="clv_history"),
        ChecklistItem("tools.survey_sample", measure="survey_sample"),
        ChecklistItem("tools.network_data", measure="network_data"),
        ChecklistItem("tools.scorecard_review"),
        ChecklistItem("tools.methods_reviewed"),
    )),
    Step("training", (
        ChecklistItem("training.rm_training"),
        ChecklistItem("training.executive_workshop"),
        ChecklistItem("training.contact_coverage", measure="contact_coverage"),
        ChecklistItem("training.glossary"),
        ChecklistItem("training.champions"),
        ChecklistItem("training.reviews_from_app"),
    )),
    Step("improvement", (
        ChecklistItem("improvement.quality_review"),
        ChecklistItem("improvement.model_monitoring"),
        ChecklistItem("improvement.feedback_loop", measure="feedback_loop"),
        ChecklistItem("improvement.kpi_review"),
        ChecklistItem("improvement.lessons_learned"),
    )),
)

STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)

ITEMS: dict[str, ChecklistItem] = {item.key: item for step in STEPS
                                   for item in step.items}

ITEM_KEYS: tuple[str, ...] = tuple(ITEMS)
