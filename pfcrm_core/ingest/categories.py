"""Vocabularies of the category columns: canonical values and what analysts type.

Each vocabulary maps English variants (letter case, plurals, spaces, hyphens and
underscores), the English and Chinese labels of the app's catalogue, other Chinese
names and common abbreviations to one canonical lower-case value. The canonical
values are those of the demo book (``pfcrm_core.demo.reference``) and of the
catalogue labels (``locales/categories.json`` and the ``client_type.*`` and
``revenue_kind.*`` entries of ``locales/app.json``).

A vocabulary is *strict* when the schema lists the column's ``allowed`` values
(client_type): a value outside it is rejected. Other vocabularies are *open*,
because sectors, regions and the like vary by firm: a value outside them is stored
in its folded form and reported in a note.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pfcrm_core.i18n import catalogue
from pfcrm_core.ingest.vocabulary import CURRENCY_WORDS, fold
from pfcrm_core.schema import CLIENT_TYPES, get_table

SECTORS = ("energy", "transport", "water", "social infrastructure", "telecom",
           "financial services", "professional services")
REGIONS = ("asia pacific", "greater china", "europe", "middle east & africa",
           "americas")
PROJECT_STAGES = ("origination", "structuring", "financial close", "construction",
                  "operation")
DEAL_ROLES = ("lender", "arranger", "equity", "epc", "offtake", "grantor", "insurer",
              "advisor")
REVENUE_KINDS = ("interest", "fee", "advisory", "commitment", "other")
CHANNELS = ("meeting", "call", "email", "note")
FOLLOW_UP_STATUSES = ("open", "in progress", "closed", "none")
RELATIONSHIP_KINDS = ("syndicate", "sponsor_group", "introduction", "consortium")
# The demo's currencies first, then the other codes of ``CURRENCY_WORDS``.
CURRENCIES = ("usd", "cny", "eur") + tuple(
    sorted(set(CURRENCY_WORDS.values()) - {"usd", "cny", "eur"}))

_SEPARATORS = re.compile(r"[\s\-_.,/\\'’·()（）]+")

# Names beyond the catalogue labels, by canonical value.
_EXTRA = {
    "client_type": {
        "bank": ("lender", "商业银行", "政策性银行", "开发性银行", "贷款人", "dfi",
                 "development bank", "multilateral", "多边开发银行", "开发银行",
                 "commercial bank"),
        "investor": ("投资者", "投资人", "投资方", "基金", "fund", "equity investor",
                     "财务投资人"),
        "sponsor": ("发起人", "发起方", "项目发起人", "股东", "developer", "开发商"),
        "government": ("govt", "gov", "government agency", "public sector", "政府",
                       "政府机构", "政府部门", "政府机关", "地方政府", "国家机构"),
        "contractor": ("epc", "epc contractor", "承包商", "承包方", "总承包商", "施工方",
                       "施工单位"),
        "offtaker": ("off taker", "purchaser", "承购方", "购电方", "包销方", "采购方",
                     "购买方"),
        "insurer": ("insurance", "eca", "保险", "保险公司", "保险机构", "出口信用保险",
                    "信保"),
        "advisor": ("adviser", "consultant", "顾问", "咨询", "财务顾问", "法律顾问",
                    "咨询机构"),
    },
    "sector": {
        "energy": ("power", "renewables", "renewable energy", "oil and gas", "电力",
                   "能源", "新能源", "可再生能源", "油气"),
        "transport": ("transportation", "infrastructure transport", "交通", "交通运输",
                      "运输", "公路", "铁路", "港口", "机场"),
        "water": ("water and wastewater", "水务", "水利", "供水", "污水处理"),
        "social infrastructure": ("social infra", "社会基础设施", "社会事业", "医院",
                                  "学校"),
        "telecom": ("telecoms", "telecommunications", "telco", "tmt", "电信", "通信"),
        "financial services": ("finance", "financial", "banking", "fs", "金融",
                               "金融服务", "金融业"),
        "professional services": ("advisory", "consulting", "专业服务", "咨询服务"),
    },
    "region": {
        "asia pacific": ("apac", "asia", "亚太", "亚太地区", "亚洲"),
        "greater china": ("china", "大中华", "大中华区", "中国", "中国区", "中国大陆"),
        "europe": ("eu", "欧洲", "欧洲区"),
        "middle east & africa": ("mea", "mena", "middle east", "africa", "中东与非洲",
                                 "中东及非洲", "中东和非洲", "中东非洲", "中东", "非洲"),
        "americas": ("america", "north america", "latin america", "latam",
                     "south america", "美洲", "北美", "拉美", "南美"),
    },
    "stage": {
        "origination": ("development", "pipeline", "项目开发", "开发", "开发期", "前期",
                        "储备"),
        "structuring": ("structure", "结构设计", "结构化", "方案设计"),
        "financial close": ("fc", "financial closure", "融资关闭", "财务关闭",
                            "融资完成"),
        "construction": ("under construction", "建设期", "建设", "在建", "施工"),
        "operation": ("operations", "operational", "operating", "in operation",
                      "运营期", "运营", "投运", "商运"),
    },
    "role": {
        "lender": ("participant", "participating lender", "贷款行", "贷款人", "参贷行",
                   "贷款银行", "参加行"),
        "arranger": ("mla", "mandated lead arranger", "lead arranger", "bookrunner",
                     "牵头行", "牵头安排行", "安排行", "牵头银行"),
        "equity": ("equity investor", "sponsor equity", "股权投资", "股权", "股东",
                   "股权投资人"),
        "epc": ("epc contractor", "contractor", "EPC 总承包", "总承包", "总承包商",
                "承包商"),
        "offtake": ("offtaker", "off taker", "purchaser", "承购方", "包销方", "购电方",
                    "承购"),
        "grantor": ("concession grantor", "授予方", "特许权授予方", "授权方"),
        "insurer": ("insurance", "eca", "保险方", "保险", "保险公司", "保险人"),
        "advisor": ("adviser", "advisory", "consultant", "顾问", "财务顾问", "咨询"),
    },
    "revenue_kind": {
        "interest": ("interest margin", "interest income", "nii", "利息", "利差收入",
                     "利息收入", "利差"),
        "fee": ("fee income", "手续费", "费用", "手续费收入", "费用收入"),
        "advisory": ("advisory fee", "consulting fee", "顾问费", "咨询费",
                     "财务顾问费"),
        "commitment": ("commitment fee", "承诺费"),
        "other": ("others", "misc", "miscellaneous", "其他", "其它"),
    },
    "channel": {
        "meeting": ("visit", "in person", "face to face", "会面", "会议", "拜访",
                    "面谈", "见面"),
        "call": ("phone", "phone call", "telephone", "tel", "电话", "致电", "通话"),
        "email": ("e mail", "mail", "邮件", "电子邮件", "电邮"),
        "note": ("memo", "备注", "纪要", "记录"),
    },
    "follow_up_status": {
        "open": ("pending", "new", "to do", "待处理", "未处理", "待跟进", "打开"),
        "in progress": ("ongoing", "wip", "in hand", "处理中", "跟进中", "进行中"),
        "closed": ("done", "resolved", "complete", "completed", "已关闭", "关闭",
                   "已完成", "完成", "已处理", "已解决"),
        "none": ("no action", "not needed", "无", "无需跟进", "不需要", "无需处理"),
    },
    "relationship_kind": {
        "syndicate": ("syndication", "club deal", "co lenders", "银团", "银团贷款"),
        "sponsor_group": ("sponsor group", "group", "发起人集团", "集团", "同一集团"),
        "introduction": ("referral", "introduced", "引荐", "介绍", "推荐"),
        "consortium": ("joint venture", "jv", "联合体", "合资", "财团"),
    },
    "currency": {
        "cny": ("元", "yuan", "renminbi", "chinese yuan", "rmb¥"),
        "usd": ("us dollar", "dollar", "us dollars", "dollars", "美元", "美金"),
        "eur": ("euro", "euros", "欧元"),
        "gbp": ("pound", "pounds", "sterling", "英镑"),
        "hkd": ("hong kong dollar", "港元", "港币"),
        "jpy": ("yen", "日元", "日圆"),
    },
}

# Catalogue prefix of each vocabulary's labels, and its canonical values.
_SOURCES = {
    "client_type": ("client_type", CLIENT_TYPES),
    "sector": ("sector", SECTORS),
    "region": ("region", REGIONS),
    "stage": ("stage", PROJECT_STAGES),
    "role": ("role", DEAL_ROLES),
    "revenue_kind": ("revenue_kind", REVENUE_KINDS),
    "channel": ("channel", CHANNELS),
    "follow_up_status": ("follow_up_status", FOLLOW_UP_STATUSES),
    "relationship_kind": ("relationship_kind", RELATIONSHIP_KINDS),
    "currency": (None, CURRENCIES),
}

# Vocabulary of each category column, by (table, column); "*" is any table.
_COLUMNS = {
    ("clients", "client_type"): "client_type",
    ("clients", "sector"): "sector",
    ("projects", "sector"): "sector",
    ("clients", "region"): "region",
    ("projects", "stage"): "stage",
    ("deals", "role"): "role",
    ("revenue", "kind"): "revenue_kind",
    ("interactions", "channel"): "channel",
    ("feedback", "follow_up_status"): "follow_up_status",
    ("relationships", "kind"): "relationship_kind",
    ("*", "currency"): "currency",
}


def match_key(text: str) -> str:
    """Return the form in which category values are compared: folded, with "&" as
    "and", and without spaces, hyphens, underscores, dots, slashes or brackets, so
    "Off-taker", "off taker" and "OFFTAKER" compare equal. Currency symbols stay."""
    return _SEPARATORS.sub("", fold(text).replace("&", "and"))


class Vocabulary:
    """The canonical values of one category column and the names that map to them.

    Attributes
    ----------
    name : str
        Name of the vocabulary, e.g. ``"sector"``.
    known : tuple of str
        Canonical values, in display order.
    strict : bool
        Whether a value outside ``known`` is rejected rather than stored.
    """

    def __init__(self, name: str, known: tuple[str, ...],
                 names: dict[str, tuple[str, ...]], strict: bool = False) -> None:
        self.name = name
        self.known = known
        self.strict = strict
        self._aliases: dict[str, str] = {}
        for value in known:
            self._add(value, value)
            for alias in names.get(value, ()):
                self._add(alias, value)

    def _add(self, alias: str, value: str) -> None:
        key = match_key(alias)
        current = self._aliases.setdefault(key, value)
        if current != value:
            raise ValueError(f"vocabulary {self.name!r}: {alias!r} maps to both "
                             f"{current!r} and {value!r}; keep it under one value")

    def lookup(self, text: str) -> str | None:
        """Return the canonical value that ``text`` names, or None.

        An English plural ("fees", "Utilities") is tried without its "s" or "es".
        """
        key = match_key(text)
        found = self._aliases.get(key)
        if found is not None or not key.isascii():
            return found
        for ending in ("es", "s"):
            if key.endswith(ending) and len(key) > len(ending) + 2:
                found = self._aliases.get(key[:-len(ending)])
                if found is not None:
                    return found
        return None


@lru_cache(maxsize=None)
def get_vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary called ``name`` (a value of the column table above).

    Raises
    ------
    KeyError
        When ``name`` is not a vocabulary.
    ValueError
        When one name maps to two canonical values.
    """
    prefix, known = _SOURCES[name]
    names = {value: tuple(_EXTRA.get(name, {}).get(value, ())) for value in known}
    if prefix is not None:
        entries = catalogue()
        for value in known:
            labels = entries.get(f"{prefix}.{value}", {})
            names[value] += tuple(labels.values())
    if name == "currency":
        for word, code in CURRENCY_WORDS.items():
            names[code] += (word,)
    return Vocabulary(name, known, names, strict=name == "client_type")


def column_vocabulary(table_name: str, column_name: str) -> Vocabulary | None:
    """Return the vocabulary of a category column, or None when it has none."""
    name = _COLUMNS.get((table_name, column_name)) or _COLUMNS.get(("*", column_name))
    if name is None or get_table(table_name).column(column_name).kind != "category":
        return None
    return get_vocabulary(name)
