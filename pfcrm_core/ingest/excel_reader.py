"""Reading workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) into RawSheets with calamine.

calamine returns the cached value of each formula cell. A workbook written by a
program that does not calculate (openpyxl, many report generators) has formulas
without cached values, which read as empty cells. calamine also reads Excel error
values such as ``#REF!`` as empty cells. :func:`scan_xlsx` finds both in .xlsx
files, so error cells are restored and the import can name the formula cells that
read as empty.

NOTE: .xls, .xlsb and .ods files are not scanned, so their error cells read as empty.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine as calamine

from pfcrm_core.ingest.issues import file_error
from pfcrm_core.ingest.sheet import RawSheet

logger = logging.getLogger(__name__)

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ERROR_TYPE = re.compile(rb"\bt=\"e\"")
_REFERENCE = re.compile(rb"\br=\"([A-Z]+\d+)\"")
_ERROR_VALUE = re.compile(rb"<v>([^<]+)</v>")
_VALUE = re.compile(rb"<v>[^<]")
_SHEET_ENTRY = re.compile(rb"<sheet\b[^>]*?name=\"([^\"]*)\"[^>]*?r:id=\"([^\"]*)\"")
_RELATION = re.compile(
    rb"<Relationship\b[^>]*?Id=\"([^\"]*)\"[^>]*?Target=\"([^\"]*)\"")
_RELATION_REVERSED = re.compile(
    rb"<Relationship\b[^>]*?Target=\"([^\"]*)\"[^>]*?Id=\"([^\"]*)\"")


def read_workbook(data: bytes, name: str) -> list[RawSheet]:
    """Read every worksheet of a workbook; chart sheets are left out.

    Raises
    ------
    ImportFileError
        When the workbook is password-protected or cannot be parsed.
    """
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise file_error("encrypted", name=name) from None
    except (calamine.CalamineError, ValueError, OSError) as error:
        raise file_error("workbook_unreadable", name=name, detail=str(error)) \
            from None

    scans = scan_xlsx(data) if data[:2] == b"PK" else {}
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        sheets.append(_read_sheet(book, meta, scans.get(meta.name, SheetScan())))
    logger.info("read %d sheets from %s", len(sheets), name)
    return sheets


def _read_sheet(book, meta, scan: SheetScan) -> RawSheet:
    """Read one worksheet with absolute row numbers and its error cells restored."""
    try:
        sheet = book.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or [])
    except calamine.CalamineError as error:
        raise file_error("sheet_unreadable", sheet=meta.name,
                         detail=str(error)) from None
    rows = [list(r) for r in rows]
    for row, column, text in scan.errors:
        if row < len(rows) and column < len(rows[row]) and rows[row][column] == "":
            rows[row][column] = text
    ranges = [(top, left, bottom, right)
              for (top, left), (bottom, right) in merged]
    hidden = meta.visible != calamine.SheetVisibleEnum.Visible
    return RawSheet(meta.name, rows,
                    list(range(1, len(rows) + 1)), hidden=hidden, merged=ranges,
                    uncached=list(scan.uncached))


@dataclass
class SheetScan:
    """Cells that calamine reads as empty although the file has content: formulas
    without a cached value, and Excel error values such as ``#REF!``.

    Attributes
    ----------
    uncached : list of (row, column)
        0-based position of each formula cell without a cached value.
    errors : list of (row, column, text)
        0-based position and text of each error cell.
    """

    uncached: list[tuple[int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def scan_xlsx(data: bytes) -> dict[str, SheetScan]:
    """Scan each sheet of an .xlsx file for what :class:`SheetScan` lists.

    Returns an empty dict when the package layout is not the usual one.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        book = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (zipfile.BadZipFile, KeyError):
        return {}
    targets = {rid: target for rid, target in _RELATION.findall(relations)}
    targets.update({rid: target for target, rid in
                    _RELATION_REVERSED.findall(relations)})
    scans = {}
    for name, rid in _SHEET_ENTRY.findall(book):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = archive.read(path)
        except KeyError:
            continue
        scan = _scan_sheet(xml)
        if scan.uncached or scan.errors:
            scans[_unescape(name.decode("utf-8", "replace"))] = scan
    return scans


def _scan_sheet(xml: bytes) -> SheetScan:
    """Find formula cells without a value and error cells in one sheet's XML."""
    scan = SheetScan()
    for attributes, body in _CELL.findall(xml):
        if not body:
            continue
        reference = _REFERENCE.search(attributes)
        if b"<f" in body and not _VALUE.search(body) and reference:
            scan.uncached.append(_position(reference.group(1).decode("ascii")))
        if _ERROR_TYPE.search(attributes):
            value = _ERROR_VALUE.search(body)
            if reference and value:
                row, column = _position(reference.group(1).decode("ascii"))
                scan.errors.append((row, column, value.group(1).decode("utf-8")))
    return scan


def _position(reference: str) -> tuple[int, int]:
    """Return the 0-based (row, column) of an A1-style reference."""
    letters = reference.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(reference[len(letters):]) - 1, column - 1


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
