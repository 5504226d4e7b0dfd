"""The data contract: canonical tables, their keys, column kinds and header synonyms.

Templates, the import pipeline, the store and every model read this module, so a
column is named and typed in one place. Column kinds:

- ``id``: text key, NFKC-normalised and trimmed.
- ``text``: free text, stored verbatim.
- ``category``: text from ``allowed`` (after synonym mapping), lower case.
- ``money``: amount in the row's currency, units (not thousands), never negative
  unless ``min`` allows it.
- ``number`` / ``integer``: plain numbers.
- ``share``: a fraction in [0, 1]; ``5%`` and ``0.05`` both mean 0.05.
- ``bps``: basis points; ``1.25%`` means 125.
- ``date``: calendar date.
- ``bool``: yes/no, 1/0, true/false, 是/否.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 3

CLIENT_TYPES = (
    "bank",
    "investor",
    "sponsor",
    "government",
    "contractor",
    "offtaker",
    "insurer",
    "advisor",
)

# Days after the import that a date of a past event may lie: a month, for revenue
# value-dated at the end of the current month and for clocks in other time zones.
EVENT_DAYS_AHEAD = 31
# A deal may be signed up to a year before its start date.
DEAL_START_DAYS_AHEAD = 366

SQL_TYPES = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "category": "VARCHAR",
    "money": "DOUBLE",
    "number": "DOUBLE",
    "integer": "BIGINT",
    "share": "DOUBLE",
    "bps": "DOUBLE",
    "date": "DATE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    Attributes
    ----------
    name : str
        Canonical column name, used in SQL, templates and models.
    kind : str
        One of the keys of ``SQL_TYPES``.
    required : bool
        Whether a row without a value is rejected.
    allowed : tuple of str, optional
        Allowed values for ``category`` columns.
    minimum, maximum : float, optional
        Inclusive range for numeric columns.
    references : str, optional
        ``"table.column"`` that every value must exist in (checked on import).
    synonyms : tuple of str
        Header names, English and Chinese, that map to this column on import.
    max_days_ahead : int, optional
        For ``date`` columns: the import rejects dates more than this many days
        after the day of the import. Set for dates of events that have happened;
        None for planned dates (maturities, financial close), which may lie any
        distance ahead.
    """

    name: str
    kind: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    references: str | None = None
    synonyms: tuple[str, ...] = ()
    max_days_ahead: int | None = None

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """A canonical table.

    Attributes
    ----------
    name : str
        Table name in DuckDB.
    columns : tuple of Column
        Columns in template order.
    key : tuple of str
        Columns that identify a row. A repeated import of a row with the same key
        and values adds nothing; the same key with other values is a change.
    generated_key : str, optional
        Key column that the import fills from a hash of the row's content when the
        file has none (revenue, interactions and feedback files often carry no id).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    generated_key: str | None = None
    synonyms: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name!r} has no column {name!r}; "
                       f"columns are {', '.join(self.column_names)}")


CLIENTS = Table(
    name="clients",
    key=("client_id",),
    synonyms=("client", "clients", "customer", "客户", "客户名单"),
    columns=(
        Column("client_id", "id", required=True,
               synonyms=("client id", "customer id", "id", "客户编号", "客户代码",
                         "客户id", "编号", "cust_id", "customer_id")),
        Column("name", "text",
               synonyms=("client name", "customer name", "name", "客户名称", "客户",
                         "名称", "机构名称", "公司名称")),
        Column("client_type", "category", allowed=CLIENT_TYPES,
               synonyms=("type", "client type", "counterparty type", "客户类型",
                         "类型", "机构类型")),
        Column("sector", "category",
               synonyms=("sector", "industry", "行业", "所属行业", "板块")),
        Column("region", "category",
               synonyms=("region", "area", "区域", "地区", "大区")),
        Column("country", "text",
               synonyms=("country", "国家", "国别", "国家/地区")),
        Column("credit_rating", "text",
               synonyms=("rating", "credit rating", "信用评级", "评级", "外部评级",
                         "内部评级")),
        Column("relationship_since", "date", max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("since", "client since", "relationship since",
                         "建立关系日期", "合作起始日", "开户日期", "首次合作日期")),
        Column("relationship_manager", "text",
               synonyms=("rm", "relationship manager", "account manager", "客户经理",
                         "关系经理")),
    ),
)

PROJECTS = Table(
    name="projects",
    key=("project_id",),
    synonyms=("project", "projects", "项目", "项目清单"),
    columns=(
        Column("project_id", "id", required=True,
               synonyms=("project id", "id", "项目编号", "项目代码", "项目id")),
        Column("name", "text",
               synonyms=("project name", "name", "项目名称", "名称")),
        Column("sector", "category",
               synonyms=("sector", "industry", "行业", "所属行业")),
        Column("country", "text", synonyms=("country", "国家", "国别")),
        Column("stage", "category",
               synonyms=("stage", "status", "phase", "阶段", "项目阶段", "状态")),
        Column("currency", "category",
               synonyms=("currency", "ccy", "币种", "货币")),
        Column("total_cost", "money", minimum=0,
               synonyms=("total cost", "capex", "project cost", "总投资", "项目总投资",
                         "总成本")),
        Column("target_funding", "money", minimum=0,
               synonyms=("target funding", "funding target", "debt target",
                         "融资目标", "目标融资额", "计划融资额")),
        Column("funded_amount", "money", minimum=0,
               synonyms=("funded", "funded amount", "raised", "已融资金额", "已到位资金",
                         "到位金额")),
        Column("financial_close_date", "date",
               synonyms=("financial close", "fc date", "close date", "融资关闭日",
                         "融资关闭日期", "财务关闭日")),
    ),
)

DEALS = Table(
    name="deals",
    key=("deal_id",),
    synonyms=("deal", "deals", "facility", "facilities", "交易", "业务", "授信"),
    columns=(
        Column("deal_id", "id", required=True,
               synonyms=("deal id", "facility id", "id", "交易编号", "业务编号",
                         "合同编号")),
        Column("client_id", "id", required=True, references="clients.client_id",
               synonyms=("client id", "customer id", "客户编号", "客户代码")),
        Column("project_id", "id", references="projects.project_id",
               synonyms=("project id", "项目编号", "项目代码")),
        Column("role", "category",
               synonyms=("role", "角色", "参与角色", "担任角色")),
        Column("amount", "money", minimum=0,
               synonyms=("amount", "commitment", "facility amount", "金额",
                         "授信金额", "贷款金额", "承诺金额")),
        Column("currency", "category", synonyms=("currency", "ccy", "币种", "货币")),
        Column("start_date", "date", max_days_ahead=DEAL_START_DAYS_AHEAD,
               synonyms=("start", "start date", "signing date", "起始日", "开始日期",
                         "签约日期", "起息日")),
        Column("maturity_date", "date",
               synonyms=("maturity", "maturity date", "end date", "到期日",
                         "到期日期")),
        Column("margin_bps", "bps", minimum=0, maximum=5000,
               synonyms=("margin", "spread", "margin bps", "利差", "利差（bp）",
                         "加点", "利差(bp)")),
        Column("fee_income", "money", minimum=0,
               synonyms=("fee", "fees", "fee income", "手续费", "费用收入",
                         "手续费收入", "中间业务收入")),
    ),
)

REVENUE = Table(
    name="revenue",
    key=("txn_id",),
    generated_key="txn_id",
    synonyms=("revenue", "income", "transactions", "收入", "交易流水", "收入明细"),
    columns=(
        Column("txn_id", "id", required=True,
               synonyms=("txn id", "transaction id", "id", "流水号", "交易编号")),
        Column("client_id", "id", required=True, references="clients.client_id",
               synonyms=("client id", "customer id", "客户编号", "客户代码")),
        Column("date", "date", required=True, max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("date", "value date", "booking date", "日期", "交易日期",
                         "入账日期")),
        Column("amount", "money", required=True,
               synonyms=("amount", "revenue", "value", "income", "金额", "收入",
                         "收入金额")),
        Column("currency", "category", synonyms=("currency", "ccy", "币种", "货币")),
        Column("kind", "category",
               synonyms=("kind", "type", "revenue type", "类别", "收入类型", "类型")),
    ),
)

INTERACTIONS = Table(
    name="interactions",
    key=("interaction_id",),
    generated_key="interaction_id",
    synonyms=("interactions", "contacts", "activities", "互动", "拜访记录", "沟通记录"),
    columns=(
        Column("interaction_id", "id", required=True,
               synonyms=("interaction id", "activity id", "id", "记录编号")),
        Column("client_id", "id", required=True, references="clients.client_id",
               synonyms=("client id", "customer id", "客户编号", "客户代码")),
        Column("date", "date", required=True, max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("date", "日期", "拜访日期", "沟通日期")),
        Column("channel", "category",
               synonyms=("channel", "type", "方式", "渠道", "沟通方式")),
        Column("staff", "text",
               synonyms=("staff", "owner", "employee", "员工", "负责人", "经办人")),
        Column("notes", "text",
               synonyms=("notes", "note", "summary", "备注", "纪要", "内容")),
    ),
)

FEEDBACK = Table(
    name="feedback",
    key=("response_id",),
    generated_key="response_id",
    synonyms=("feedback", "survey", "nps", "满意度", "调查", "反馈"),
    columns=(
        Column("response_id", "id", required=True,
               synonyms=("response id", "id", "答卷编号", "问卷编号")),
        Column("client_id", "id", required=True, references="clients.client_id",
               synonyms=("client id", "customer id", "客户编号", "客户代码")),
        Column("date", "date", required=True, max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("date", "survey date", "日期", "调查日期")),
        Column("nps", "integer", minimum=0, maximum=10,
               synonyms=("nps", "likelihood to recommend", "推荐意愿", "推荐度",
                         "净推荐值")),
        Column("csat", "integer", minimum=1, maximum=5,
               synonyms=("csat", "satisfaction", "满意度", "满意度评分")),
        Column("comment", "text",
               synonyms=("comment", "comments", "verbatim", "意见", "评论", "建议")),
        Column("follow_up_status", "category",
               synonyms=("follow up", "follow-up status", "status", "跟进状态",
                         "处理状态")),
    ),
)

RELATIONSHIPS = Table(
    name="relationships",
    key=("source_id", "target_id", "kind"),
    synonyms=("relationships", "network", "关系", "关系网络"),
    columns=(
        Column("source_id", "id", required=True, references="clients.client_id",
               synonyms=("source", "source id", "from", "客户编号a", "源客户")),
        Column("target_id", "id", required=True, references="clients.client_id",
               synonyms=("target", "target id", "to", "客户编号b", "目标客户")),
        Column("kind", "category", required=True,
               synonyms=("kind", "type", "relationship", "关系类型", "类型")),
        Column("weight", "number", minimum=0,
               synonyms=("weight", "strength", "权重", "强度")),
        Column("since", "date", max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("since", "起始日期", "开始日期")),
    ),
)

CREDIT = Table(
    name="credit",
    key=("client_id", "as_of"),
    synonyms=("credit", "ratings", "credit history", "信用", "评级历史", "信用记录"),
    columns=(
        Column("client_id", "id", required=True, references="clients.client_id",
               synonyms=("client id", "customer id", "客户编号", "客户代码")),
        Column("as_of", "date", required=True, max_days_ahead=EVENT_DAYS_AHEAD,
               synonyms=("as of", "date", "rating date", "评级日期", "日期",
                         "数据日期")),
        Column("rating", "text",
               synonyms=("rating", "grade", "评级", "信用评级")),
        Column("pd", "share", minimum=0, maximum=1,
               synonyms=("pd", "probability of default", "违约概率")),
        Column("lgd", "share", minimum=0, maximum=1,
               synonyms=("lgd", "loss given default", "违约损失率")),
        Column("ead", "money", minimum=0,
               synonyms=("ead", "exposure at default", "exposure", "违约风险暴露",
                         "敞口")),
        Column("defaulted", "bool",
               synonyms=("defaulted", "default", "default flag", "是否违约", "违约")),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (CLIENTS, PROJECTS, DEALS, REVENUE, INTERACTIONS, FEEDBACK,
              RELATIONSHIPS, CREDIT)
}

# The order in which tables can be loaded so that references resolve.
LOAD_ORDER = ("clients", "projects", "deals", "revenue", "interactions", "feedback",
              "relationships", "credit")


def get_table(name: str) -> Table:
    """Return the canonical table called ``name``.

    Raises
    ------
    KeyError
        With the allowed names, when ``name`` is not a canonical table.
    """
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; choose one of "
                       f"{', '.join(LOAD_ORDER)}") from None
