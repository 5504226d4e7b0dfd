"""One client's profile: each model's view of the client, what changed, the brief.

The functions here select, join and summarise one client's rows of the canonical
tables and of results that the models have already produced (the app passes its
cached fits), so the profile shows the same numbers as the model pages. The only
calculation of their own is the staff–client strength at two dates for the
strength trend (``network.staff_client_strength`` on the client's interactions).

A section that a model cannot fill for this client (no revenue, no credit row,
too little data for the fit) carries a ``Gap``: a translation key and its values,
which the page and the brief show as one line.

``search`` finds clients, ``tables`` and ``models`` select one client's rows,
``changes`` compares two dates, ``assembly`` puts the profile together and
``brief`` writes the meeting brief.
"""

from pfcrm_core.profile.assembly import ClientProfile, ModelResults, assemble_profile
from pfcrm_core.profile.brief import (BriefSection, brief_html, brief_markdown,
                                      brief_sections, category_label, change_lines,
                                      format_usd)
from pfcrm_core.profile.changes import Changes, changes_since, strength_change
from pfcrm_core.profile.errors import Gap, ProfileError, gap_from_error
from pfcrm_core.profile.models import (NetworkView, attrition_view, clv_view,
                                       network_view, risk_view, segment_view)
from pfcrm_core.profile.search import SEARCH_LIMIT, normalise_text, search_clients
from pfcrm_core.profile.tables import (CHANGE_WINDOW_DAYS, book_end, case_view,
                                       client_deals, client_facts, deal_summary,
                                       default_since, feedback_view, rating_history,
                                       revenue_by_period, revenue_summary,
                                       satisfaction_summary)

__all__ = [
    "CHANGE_WINDOW_DAYS", "BriefSection", "Changes", "ClientProfile", "Gap",
    "ModelResults", "NetworkView", "ProfileError", "SEARCH_LIMIT", "assemble_profile",
    "attrition_view", "book_end", "brief_html", "brief_markdown", "brief_sections",
    "case_view", "category_label", "change_lines", "changes_since", "client_deals",
    "client_facts", "clv_view", "deal_summary", "default_since", "feedback_view",
    "format_usd", "gap_from_error", "network_view", "normalise_text",
    "rating_history", "revenue_by_period", "revenue_summary", "risk_view",
    "satisfaction_summary", "search_clients", "segment_view", "strength_change",
]
