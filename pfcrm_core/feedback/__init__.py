"""The analytic half of the feedback loop: which responses open a case, loop metrics
from a cases table, comment topics and comment sentiment in Chinese and English.
"""

from pfcrm_core.feedback.loop_metrics import (CASE_COLUMNS, ROOT_CAUSES, check_cases,
                                              contact_within_sla, loop_summary,
                                              nps_change_after_case, repeat_issues,
                                              resolution_rates, root_cause_pareto)
from pfcrm_core.feedback.rules import (FollowUpRules, add_working_days, case_owners,
                                       propose_cases)
from pfcrm_core.feedback.sentiment import (chinese_model, detect_language,
                                           english_score, score_sentiment)
from pfcrm_core.feedback.topics import (TopicModel, comment_topics, fit_topics,
                                        topic_impact)

__all__ = [
    "CASE_COLUMNS", "FollowUpRules", "ROOT_CAUSES", "TopicModel", "add_working_days",
    "case_owners", "check_cases", "chinese_model", "comment_topics",
    "contact_within_sla", "detect_language", "english_score", "fit_topics",
    "loop_summary", "nps_change_after_case", "propose_cases", "repeat_issues",
    "resolution_rates", "root_cause_pareto", "score_sentiment", "topic_impact",
]
