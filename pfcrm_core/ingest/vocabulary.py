"""Words that spreadsheets use for empty cells, units, currencies and yes/no values.

Everything here is matched after :func:`fold`, so full-width forms, letter case and
surrounding spaces do not matter. The values of category columns and their names
are in :mod:`pfcrm_core.ingest.categories`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that Excel exports and copy-paste leave in cells: no-break and
# ideographic spaces, zero-width spaces and joiners, the byte order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\s\u00a0\u3000\u202f\u2007]+")

# Traditional characters common in business spreadsheets, with their simplified
# forms, so that headers and values from Hong Kong, Macau and Taiwan match the
# simplified synonyms. This is a character map, not a full conversion: it covers the
# words of the schema and of the category synonyms.
_TRADITIONAL = (
    "銀資發購電險顧問構關門機開諮詢單務國際戶編號稱類額幣種項約評級違聯絡業區"
    "負責備註經簽來見費總點調滿損權強紀錄員辦內議處狀態團隊專標準計劃為與對應"
    "係們個這時會學實現體長東廣貸風場廠築設運營產價報結監審擔證託賃買賣貨歐鎊"
    "臺灣韓圓盧蘭達別話郵網線間碼屬並於億萬兩幾後從雜頭訪記溝導進薦願淨値論勢"
    "據歷貿礎稅鐵維護綜環濟縣鎮鄉園橋鋼礦輸氣熱爐圖訊獎勵紙書"
)
_SIMPLIFIED = (
    "银资发购电险顾问构关门机开咨询单务国际户编号称类额币种项约评级违联络业区"
    "负责备注经签来见费总点调满损权强纪录员办内议处状态团队专标准计划为与对应"
    "系们个这时会学实现体长东广贷风场厂筑设运营产价报结监审担证托赁买卖货欧镑"
    "台湾韩圆卢兰达别话邮网线间码属并于亿万两几后从杂头访记沟导进荐愿净值论势"
    "据历贸础税铁维护综环济县镇乡园桥钢矿输气热炉图讯奖励纸书"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def clean_text(text: str) -> str:
    """Return ``text`` NFKC-normalised, without invisible characters, trimmed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Return the matching form of ``text``: cleaned, lower case, and with common
    traditional Chinese characters in their simplified form."""
    return clean_text(text).casefold().translate(_TO_SIMPLIFIED)


# Cells that mean "no value" in every kind of column.
NULL_TOKENS = frozenset({
    "", "null", "none", "nan", "nat", "n/a", "na", "nil", "(blank)",
    "(空白)", "空", "空白",
})

# Cells that mean "no value" in numeric, date and bool columns, where they cannot be
# a real value. In text columns "无" or "-" may be meaningful, so they are kept.
NUMERIC_NULL_TOKENS = NULL_TOKENS | frozenset({
    "-", "--", "---", "—", "——", "–", "/", "\\", "无", "暂无", "不适用", "未知",
    "待定", "tbd", "tba", "n.a.", "unknown", "?", "？",
})

# Error values that Excel writes into a cell whose formula failed.
FORMULA_ERRORS = frozenset({
    "#n/a", "#div/0!", "#ref!", "#value!", "#name?", "#num!", "#null!",
    "#spill!", "#calc!", "#getting_data", "#field!", "#blocked!", "#unknown!",
})

# Labels of a totals row: such a row sums the rows above and is not data.
TOTAL_LABELS = frozenset({
    "total", "totals", "grand total", "subtotal", "sum", "合计", "总计", "小计",
    "共计", "汇总", "合 计", "总 计", "累计",
})

# Amount multipliers written after a number or in a header, e.g. "1.2亿", "(万元)".
SCALE_WORDS = {
    "元": 1.0, "千": 1e3, "千元": 1e3, "万": 1e4, "万元": 1e4, "十万": 1e5,
    "百万": 1e6, "百万元": 1e6, "千万": 1e7, "千万元": 1e7, "亿": 1e8, "亿元": 1e8,
    "十亿": 1e9, "十亿元": 1e9,
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "'000": 1e3, "000": 1e3,
    "000s": 1e3, "'000s": 1e3, "ths": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6,
    "mln": 1e6, "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9, "billions": 1e9,
}

# Currency words and symbols mapped to lower-case ISO 4217 codes.
CURRENCY_WORDS = {
    "cny": "cny", "rmb": "cny", "人民币": "cny", "¥": "cny", "元人民币": "cny",
    "usd": "usd", "us$": "usd", "$": "usd", "美元": "usd", "美金": "usd",
    "eur": "eur", "€": "eur", "欧元": "eur",
    "gbp": "gbp", "£": "gbp", "英镑": "gbp",
    "hkd": "hkd", "hk$": "hkd", "港元": "hkd", "港币": "hkd",
    "jpy": "jpy", "日元": "jpy",
    "sgd": "sgd", "s$": "sgd", "新加坡元": "sgd",
    "aud": "aud", "a$": "aud", "澳元": "aud",
    "idr": "idr", "印尼盾": "idr", "myr": "myr", "林吉特": "myr",
    "thb": "thb", "泰铢": "thb", "vnd": "vnd", "越南盾": "vnd",
    "inr": "inr", "卢比": "inr", "brl": "brl", "雷亚尔": "brl",
    "zar": "zar", "兰特": "zar", "aed": "aed", "迪拉姆": "aed",
    "sar": "sar", "里亚尔": "sar", "kzt": "kzt", "坚戈": "kzt",
    "pkr": "pkr", "php": "php", "chf": "chf", "瑞士法郎": "chf",
    "cad": "cad", "加元": "cad", "krw": "krw", "韩元": "krw", "rub": "rub",
    "卢布": "rub",
}

PERCENT_WORDS = frozenset({"%", "％", "percent", "pct", "百分比", "百分数", "‰"})
BPS_WORDS = frozenset({"bp", "bps", "基点", "basis points", "basis point", "bp/年"})

TRUE_WORDS = frozenset({
    "yes", "y", "true", "t", "1", "是", "对", "有", "√", "✓", "✔", "已违约", "违约",
    "是的", "1.0",
})
FALSE_WORDS = frozenset({
    "no", "n", "false", "f", "0", "否", "不", "无", "×", "✗", "✘", "未违约", "正常",
    "0.0", "没有",
})
