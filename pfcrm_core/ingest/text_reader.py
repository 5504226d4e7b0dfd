"""Reading delimited text (CSV, TSV, Excel "Unicode text") into a RawSheet.

Excel on a Chinese Windows system saves "CSV" in the ANSI code page (GBK, read here
as its superset GB18030); "CSV UTF-8" starts with a byte order mark; "Unicode text"
is tab-separated UTF-16. Traditional-Chinese systems write Big5. The encoding is
taken from a byte order mark, else UTF-8 when the bytes are valid UTF-8, else the
legacy Chinese encoding whose decoded text has more common characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections import Counter

from pfcrm_core.ingest.issues import WARNING, Issue, file_error
from pfcrm_core.ingest.sheet import RawSheet

logger = logging.getLogger(__name__)

DELIMITERS = (",", "\t", ";", "|", "，")
_SAMPLE_LINES = 200

# Frequent characters of Chinese business text in simplified and traditional form.
# A wrong legacy decoding turns them into rare characters, so their share
# distinguishes GB18030 from Big5.
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年"
    "动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化"
    "高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
    "政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角"
    "期根论运农指几九区强放决西被干做必战先回则任取据处府研信客户项目金额日期编号银"
    "行投资融贷款合同币种类型名称备注收入利差到期签约评级违约风险敞口满意度调查交易"
    "們個國這來時為會學實發與關頁額戶項據號經對開過還問進動種產說當後體應點從業總長"
    "資邊級圖統組見計別決區強則處務類電話聯絡單價損險調滿廣東")


def read_text_table(data: bytes, name: str) -> RawSheet:
    """Decode delimited text and split it into rows.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        File name, used as the sheet name in messages.

    Raises
    ------
    ImportFileError
        When the bytes are not text in a supported encoding.
    """
    text, encoding, guessed = decode_text(data, name)
    issues = []
    if guessed:
        issues.append(Issue("encoding_guessed", WARNING, sheet=name,
                            params={"encoding": encoding}))
    lines = text.splitlines()
    first = lines[0].strip().lower() if lines else ""
    skip = 0
    if first.startswith("sep=") and len(first) == 5:
        delimiter, skip = first[4], 1
    else:
        delimiter = sniff_delimiter(lines[:_SAMPLE_LINES])
    logger.info("reading %s as %s text separated by %r", name, encoding, delimiter)
    rows, numbers = _split(text, delimiter, skip)
    return RawSheet(name, rows, numbers, issues=issues, encoding=encoding)


def decode_text(data: bytes, name: str) -> tuple[str, str, bool]:
    """Return the text, the encoding used, and whether the encoding was a guess."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"),
                          (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode(data, encoding, name), encoding, False
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decode(data, encoding, name), encoding, False
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass

    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), encoding, text))
    if not candidates:
        raise file_error("not_text", name=name)
    _, encoding, text = max(candidates)
    return text, encoding, True


def sniff_delimiter(lines: list[str]) -> str:
    """Choose the delimiter that splits the sample lines into the most consistent
    number of fields, preferring more fields; ``","`` when nothing splits."""
    sample = [line for line in lines if line.strip()]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        if not counts:
            continue
        width, frequency = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (frequency / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise file_error("invalid_bytes", name=name, encoding=encoding,
                         offset=error.start) from None


def _looks_utf16(data: bytes) -> bool:
    """Return whether text without a byte order mark is UTF-16: ASCII characters
    then show as every other byte zero."""
    sample = data[:2000]
    if len(sample) < 4:
        return False
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    return max(even_zero, odd_zero) > 0.4 and min(even_zero, odd_zero) < 0.05


def _common_share(text: str) -> float:
    """Return the share of CJK characters in ``text`` that are common ones."""
    hanzi = [ch for ch in text[:20000] if "\u3400" <= ch <= "\u9fff"]
    if not hanzi:
        return 0.0
    return sum(ch in _COMMON_HANZI for ch in hanzi) / len(hanzi)


def _split(text: str, delimiter: str, skip: int) -> tuple[list[list[str]], list[int]]:
    """Split text into records, keeping the line number where each one starts."""
    # The csv module rejects fields above its limit (131,072 characters by default).
    # Raise it to 1 MiB so that long multi-line note cells read, and never lower it.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 20))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            if reader.line_num > skip:
                rows.append(row)
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise file_error("csv_error", line=start, detail=str(error)) from None
    return rows, numbers
