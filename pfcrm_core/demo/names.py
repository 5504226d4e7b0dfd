"""Invented English and Chinese names for demo clients and projects.

Names combine invented stems, brands and place names with generic suffixes instead
of copying real institutions. NOTE: the word lists avoid well-known firms' names,
but the generated names are not checked against a register of companies.
"""

from __future__ import annotations

import numpy as np

ENGLISH_STEMS_FIRST = ("North", "South", "East", "West", "Silver", "Cedar",
                       "Granite", "Harbour", "Lake", "Iron", "Oak", "Pine", "Bay",
                       "Anchor", "Falcon", "Crest", "Amber", "Copper", "Willow",
                       "Marble", "Heron", "Juniper", "Larch", "Quarry", "Tide")
ENGLISH_STEMS_SECOND = ("bridge", "mere", "haven", "gate", "vale", "ridge", "ford",
                        "wick", "dale", "shore", "mark", "line", "holm", "combe",
                        "leigh", "moor", "fell", "reach", "spire", "cairn")

# Compounds of the stem lists that are names of well-known firms or brands.
EXCLUDED_ENGLISH_STEMS = ("Northgate", "Harbourgate", "Southgate", "Eastgate",
                          "Westgate", "Oakridge", "Pineridge", "Silverline",
                          "Baymark", "Ironbridge", "Crestline", "Anchorline",
                          "Copperline", "Eastbridge", "Westbridge")

ENGLISH_SUFFIXES = {
    "bank": ("Bank", "Banking Corporation", "Development Bank", "Commercial Bank",
             "Savings Bank", "Merchant Bank"),
    "investor": ("Infrastructure Partners", "Capital", "Infrastructure Fund",
                 "Asset Management", "Pension Fund", "Investment Partners"),
    "sponsor": ("Energy", "Infrastructure Holdings", "Power", "Renewables",
                "Transport Group", "Utilities"),
    "contractor": ("Construction", "Engineering", "Builders", "Civil Works",
                   "EPC Contractors", "Infrastructure Services"),
    "government": ("Public Works Authority", "Regional Transport Agency",
                   "Infrastructure Department", "Water Authority", "PPP Unit",
                   "Energy Regulator", "Development Authority"),
    "offtaker": ("Power Distribution", "Water Utility", "Electricity Company",
                 "Grid Company", "Gas Supply", "Rail Operator"),
    "insurer": ("Insurance", "Assurance", "Re", "Surety", "Credit Insurance",
                "Mutual"),
    "advisor": ("Advisory", "Consulting", "Legal LLP", "Technical Advisers",
                "Financial Advisers", "Partners"),
}

CHINESE_BRANDS = ("瀚澄", "泓川", "璟泰", "澜岳", "峻岭", "曜衡", "启澜", "霁远",
                  "沛霖", "珩岳", "澈源", "朗峰", "睿璟", "穹宇", "翰川", "瑞澜",
                  "琮泰", "铂衡", "溪铭", "岚舟", "崇越", "砚川", "芮安", "湛恒",
                  "临舒", "泽铖", "鸿砚", "岱和", "禾沣", "晟澜")
CHINESE_PLACES = ("澜江", "青岭", "云川", "沐阳", "滨川", "江屿", "岚州", "澄海",
                  "禾丰", "泓口")
CHINESE_SUFFIXES = {
    "bank": ("银行", "商业银行", "发展银行", "国际银行", "金融租赁有限公司"),
    "investor": ("资本", "基础设施基金", "投资管理有限公司", "资产管理有限公司",
                 "产业投资基金"),
    "sponsor": ("能源集团", "交通投资集团", "水务集团", "基建控股有限公司",
                "新能源有限公司"),
    "contractor": ("建设工程有限公司", "路桥集团", "电力工程有限公司",
                   "建工集团", "水电建设有限公司"),
    "offtaker": ("电网有限公司", "售电有限公司", "供水有限公司", "燃气有限公司",
                 "轨道交通运营有限公司"),
    "insurer": ("财产保险股份有限公司", "保险集团", "信用保险有限公司",
                "再保险有限公司", "人寿保险有限公司"),
    "advisor": ("咨询有限公司", "律师事务所", "会计师事务所", "工程顾问有限公司",
                "财务顾问有限公司"),
}
CHINESE_GOVERNMENT_BODIES = ("市交通运输局", "省发展和改革委员会", "市水务局",
                             "市住房和城乡建设局", "市财政局", "市城市管理局")


def english_stems() -> list[str]:
    """Return the compound stems for English names, in a fixed order."""
    stems = [first + second for first in ENGLISH_STEMS_FIRST
             for second in ENGLISH_STEMS_SECOND]
    return [stem for stem in stems if stem not in EXCLUDED_ENGLISH_STEMS]


def client_names(rng: np.random.Generator, client_types: np.ndarray,
                 chinese: np.ndarray) -> list[str]:
    """Draw a unique invented name for each client.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    client_types : ndarray of str
        Client type of each client, from ``schema.CLIENT_TYPES``.
    chinese : ndarray of bool
        Whether the client gets a Chinese name.

    Returns
    -------
    list of str
        One name per client; no two are equal.
    """
    stems = english_stems()
    names: list[str] = []
    used: set[str] = set()
    for client_type, is_chinese in zip(client_types, chinese):
        name = _draw_name(rng, client_type, bool(is_chinese), stems)
        while name in used:
            name = _draw_name(rng, client_type, bool(is_chinese), stems)
        used.add(name)
        names.append(name)
    return names


def _draw_name(rng: np.random.Generator, client_type: str, is_chinese: bool,
               stems: list[str]) -> str:
    if is_chinese and client_type == "government":
        place = CHINESE_PLACES[rng.integers(len(CHINESE_PLACES))]
        body = CHINESE_GOVERNMENT_BODIES[rng.integers(len(CHINESE_GOVERNMENT_BODIES))]
        return place + body
    if client_type == "government":
        place = ENGLISH_PLACES[rng.integers(len(ENGLISH_PLACES))]
        suffixes = ENGLISH_SUFFIXES["government"]
        return f"{place} {suffixes[rng.integers(len(suffixes))]}"
    if is_chinese:
        brand = CHINESE_BRANDS[rng.integers(len(CHINESE_BRANDS))]
        suffixes = CHINESE_SUFFIXES[client_type]
        return brand + suffixes[rng.integers(len(suffixes))]
    stem = stems[rng.integers(len(stems))]
    suffixes = ENGLISH_SUFFIXES[client_type]
    return f"{stem} {suffixes[rng.integers(len(suffixes))]}"


ENGLISH_PLACES = ("Lakeside", "Redcliff", "Eastport", "Sandhill", "Northvale",
                  "Stonehaven", "Kestrel Bay", "Greyfield", "Ashford Plains",
                  "Coral Point", "Highmoor", "Saltmarsh", "Riverbend", "Westhaven",
                  "Dunmore Flats", "Blackrock Ridge", "Sunvale", "Palm Crescent",
                  "Goldcoast Hills", "Mistral Valley")

PROJECT_PATTERNS = {
    "energy": ("{place} {mw} MW Solar", "{place} Offshore Wind {mw} MW",
               "{place} {mw} MW Combined Cycle", "{place} Battery Storage {mw} MWh",
               "{place} {mw} MW Onshore Wind", "{place} Hydro {mw} MW"),
    "transport": ("{place} Toll Road PPP", "{place} Light Rail", "{place} Airport "
                  "Expansion", "{place} Container Terminal", "{place} Ring Road",
                  "{place} Metro Line"),
    "water": ("{place} Desalination Plant", "{place} Wastewater Treatment PPP",
              "{place} Water Supply Scheme", "{place} Irrigation PPP"),
    "social infrastructure": ("{place} General Hospital PPP",
                              "{place} Schools Programme", "{place} Student Housing",
                              "{place} Courts Complex PPP"),
    "telecom": ("{place} Fibre Network", "{place} Data Centre",
                "{place} Tower Portfolio"),
}
CHINESE_PROJECT_PATTERNS = {
    "energy": ("{place}{mw}兆瓦光伏电站项目", "{place}海上风电项目",
               "{place}{mw}兆瓦储能电站项目", "{place}抽水蓄能电站项目"),
    "transport": ("{place}高速公路PPP项目", "{place}城际铁路项目",
                  "{place}港口码头项目", "{place}城市轨道交通项目"),
    "water": ("{place}污水处理厂PPP项目", "{place}供水工程项目",
              "{place}海水淡化项目"),
    "social infrastructure": ("{place}人民医院PPP项目", "{place}学校PPP项目",
                              "{place}保障性住房项目"),
    "telecom": ("{place}数据中心项目", "{place}光纤网络项目"),
}


def project_name(rng: np.random.Generator, sector: str, country: str) -> str:
    """Draw a project name for ``sector`` in ``country``, Chinese for China."""
    if country == "China":
        patterns = CHINESE_PROJECT_PATTERNS[sector]
        places = CHINESE_PLACES
    else:
        patterns = PROJECT_PATTERNS[sector]
        places = ENGLISH_PLACES
    pattern = patterns[rng.integers(len(patterns))]
    place = places[rng.integers(len(places))]
    megawatts = int(rng.choice([50, 100, 150, 200, 300, 400, 600, 800, 1200]))
    return pattern.format(place=place, mw=megawatts)
