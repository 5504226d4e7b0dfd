"""Survey comment and interaction note templates in English and Chinese.

A comment is a core sentence for its sentiment, sometimes followed by a second
sentence, so the same opinion appears in several wordings.
"""

from __future__ import annotations

import numpy as np

COMMENT_CORE = {
    ("positive", "en"): (
        "Great support during financial close.",
        "The team understood our project and moved fast.",
        "Very responsive relationship manager.",
        "Excellent structuring advice on the senior debt.",
        "Smooth execution of the syndication.",
        "Clear term sheet and quick credit approval.",
        "Helpful introductions to co-lenders.",
        "Strong sector knowledge in renewables.",
        "Reliable partner through construction.",
        "Drawdowns were processed on time every month.",
    ),
    ("positive", "zh"): (
        "融资关闭期间支持非常到位。",
        "团队专业，响应迅速。",
        "客户经理服务热情，沟通顺畅。",
        "结构化方案设计很有价值。",
        "银团组建效率高。",
        "审批速度比预期快。",
        "对项目融资很熟悉，值得信赖。",
        "提款安排及时，配合默契。",
        "帮助我们对接了合适的投资人。",
        "对新能源行业理解深入。",
    ),
    ("neutral", "en"): (
        "Service was adequate overall.",
        "Pricing is in line with the market.",
        "Documentation took a little longer than planned.",
        "Communication is fine but could be more proactive.",
        "Reporting requirements are heavy but manageable.",
        "Process was standard, nothing special.",
        "Good team, though turnaround varies.",
        "Reasonable terms; covenants are on the strict side.",
    ),
    ("neutral", "zh"): (
        "整体服务还可以。",
        "价格与市场水平相当。",
        "文件准备时间比预期稍长。",
        "沟通尚可，希望更主动一些。",
        "报送要求较多，但可以接受。",
        "流程比较常规。",
        "团队不错，但响应时间不稳定。",
        "条款合理，但约束条款偏严。",
    ),
    ("negative", "en"): (
        "Credit approval took far too long.",
        "Pricing was not competitive against other lenders.",
        "Too many changes to the term sheet late in the process.",
        "Hard to reach the relationship manager.",
        "The KYC process was slow and repetitive.",
        "Covenant waiver request handled poorly.",
        "Fees were higher than agreed at mandate.",
        "We felt the bank did not understand the project risks.",
        "Drawdown delays put our construction schedule at risk.",
    ),
    ("negative", "zh"): (
        "审批流程太慢，希望提高效率。",
        "报价缺乏竞争力。",
        "条款后期反复修改，影响进度。",
        "客户经理联系不上。",
        "尽职调查资料要求重复，耗时太长。",
        "豁免申请处理不及时。",
        "费用比授权时约定的高。",
        "对项目风险的理解不到位。",
        "提款延迟影响了施工进度。",
    ),
}

COMMENT_TAIL = {
    ("positive", "en"): ("Thank you.", "Keep it up.", "We will work with you again.",
                         "Much appreciated by our board."),
    ("positive", "zh"): ("感谢！", "继续保持。", "期待下次合作。", "董事会很满意。"),
    ("neutral", "en"): ("Room to improve.", "Happy to discuss.", "",
                        "We expect more next year."),
    ("neutral", "zh"): ("还有提升空间。", "欢迎进一步沟通。", "", "希望明年更好。"),
    ("negative", "en"): ("Please follow up.", "We are considering other banks.",
                         "This needs to improve.", "Disappointing."),
    ("negative", "zh"): ("请尽快跟进。", "我们正在考虑其他银行。", "希望尽快改进。",
                         "非常失望。"),
}

NOTE_TEMPLATES = {
    "en": (
        "Discussed refinancing options for {project}.",
        "Quarterly relationship review with the CFO.",
        "Sent indicative term sheet for {project}.",
        "Site visit to {project}; construction on schedule.",
        "Follow-up on KYC documents.",
        "Call on covenant compliance certificate.",
        "Introduced our ESG advisory team.",
        "Pricing discussion for a new facility.",
        "Update on drawdown schedule for {project}.",
        "Annual credit review meeting.",
        "Feedback on the last survey discussed.",
        "Shared market update on infrastructure debt.",
    ),
    "zh": (
        "讨论{project}再融资方案。",
        "与财务总监进行季度回顾。",
        "发送{project}的指示性条款。",
        "实地考察{project}，施工进度正常。",
        "跟进尽调资料。",
        "沟通财务约束条款合规情况。",
        "介绍ESG咨询团队。",
        "新授信定价沟通。",
        "更新{project}提款计划。",
        "年度授信审查会议。",
        "沟通上次满意度调查的反馈。",
        "分享基础设施融资市场动态。",
    ),
}

GENERIC_PROJECT = {"en": "the project", "zh": "项目"}


def draw_comments(rng: np.random.Generator, sentiments: np.ndarray,
                  languages: np.ndarray) -> list[str]:
    """Draw a comment for each sentiment and language.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    sentiments : ndarray of str
        ``"positive"``, ``"neutral"`` or ``"negative"`` per response.
    languages : ndarray of str
        ``"en"`` or ``"zh"`` per response.
    """
    core_draws = rng.random(len(sentiments))
    tail_draws = rng.random(len(sentiments))
    with_tail = rng.random(len(sentiments)) < 0.45
    comments = []
    for i, (sentiment, language) in enumerate(zip(sentiments, languages)):
        text = _pick(COMMENT_CORE[(sentiment, language)], core_draws[i])
        tail = _pick(COMMENT_TAIL[(sentiment, language)], tail_draws[i])
        if with_tail[i] and tail:
            separator = "" if language == "zh" else " "
            text = f"{text}{separator}{tail}"
        comments.append(text)
    return comments


def draw_notes(rng: np.random.Generator, languages: np.ndarray,
               project_names: list[str | None]) -> list[str]:
    """Draw an interaction note per language, naming the project where given."""
    draws = rng.random(len(languages))
    notes = []
    for draw, language, project in zip(draws, languages, project_names):
        template = _pick(NOTE_TEMPLATES[language], draw)
        notes.append(template.format(project=project or GENERIC_PROJECT[language]))
    return notes


def _pick(options: tuple[str, ...], draw: float) -> str:
    # Map a uniform draw in [0, 1) to one of the options.
    return options[int(draw * len(options))]
