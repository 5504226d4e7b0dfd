"""Opening an uploaded or local file and reading its sheets, whatever its format.

The format is taken from the file's first bytes, not its name: analysts rename
files, and some systems export HTML or CSV with an .xls name.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Union

from pfcrm_core.ingest.excel_reader import read_workbook
from pfcrm_core.ingest.html_reader import read_html_tables
from pfcrm_core.ingest.issues import file_error
from pfcrm_core.ingest.sheet import RawSheet
from pfcrm_core.ingest.text_reader import decode_text, read_text_table

Source = Union[str, os.PathLike, bytes, BinaryIO]

# Largest file accepted, in bytes. Streamlit's default upload limit is 200 MB.
MAX_FILE_BYTES = 200 * 1024 * 1024
# Largest total uncompressed size of a workbook's parts, in bytes, so that a small
# crafted .xlsx cannot expand to exhaust memory.
MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Workbook:
    """The sheets read from one file.

    Attributes
    ----------
    name : str
        File name, without folders.
    format : str
        One of "xlsx", "xls", "ods", "csv", "html".
    sheets : list of RawSheet
    """

    name: str
    format: str
    sheets: list[RawSheet]


def read_source(source: Source, filename: str | None = None) -> Workbook:
    """Read a file into sheets of raw cells.

    Parameters
    ----------
    source : path, bytes or binary file object
        A path, the file's bytes, or an open binary file such as Streamlit's
        ``UploadedFile``.
    filename : str, optional
        Name used in messages; defaults to the path's or file object's name.

    Raises
    ------
    ImportFileError
        When the file is empty, too large, encrypted, corrupt or of a format that
        contains no table.
    """
    data, name = _load(source, filename)
    if not data.strip():
        raise file_error("empty", name=name)
    kind = detect_format(data, name)
    if kind in {"xlsx", "ods"}:
        _check_zip(data, name)
    if kind in {"xlsx", "xls", "ods"}:
        sheets = read_workbook(data, name)
    elif kind == "html":
        sheets = read_html_tables(decode_text(data, name)[0], name)
    else:
        sheets = [read_text_table(data, name)]
    if not sheets or all(sheet.is_empty for sheet in sheets):
        raise file_error("no_data", name=name)
    return Workbook(name, kind, sheets)


def detect_format(data: bytes, name: str) -> str:
    """Return "xlsx", "xls", "ods", "html" or "csv" from the file's first bytes.

    Raises
    ------
    ImportFileError
        For encrypted workbooks, Excel 2003 XML, PDF and other binary files.
    """
    head = data[:4096]
    if head.startswith(_ZIP):
        return "ods" if b"opendocument.spreadsheet" in head else "xlsx"
    if head.startswith(_OLE2):
        if _ENCRYPTION_STREAM in data[:1 << 20]:
            raise file_error("encrypted", name=name)
        return "xls"
    if head.startswith(b"%PDF"):
        raise file_error("pdf", name=name)
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head.lower():
        raise file_error("xml2003", name=name)
    if sniff.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            sniff.startswith(b"<") and b"<table" in data[:1 << 16].lower()):
        return "html"
    if b"\x00" in head and not _utf16_text(head):
        raise file_error("binary", name=name)
    return "csv"


def _load(source: Source, filename: str | None) -> tuple[bytes, str]:
    """Return the file's bytes and the name to show in messages."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _limited(bytes(source), filename or "upload"), filename or "upload"
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise file_error("not_found", path=str(path)) from None
        if path.is_dir():
            raise file_error("is_folder", path=str(path))
        _limited(b"", name, size)
        return path.read_bytes(), name
    name = filename or Path(str(getattr(source, "name", "upload"))).name
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(MAX_FILE_BYTES + 1)
    return _limited(data, name), name


def _limited(data: bytes, name: str, size: int | None = None) -> bytes:
    size = len(data) if size is None else size
    if size > MAX_FILE_BYTES:
        raise file_error("too_large", name=name, size_mb=round(size / 2**20),
                         limit_mb=round(MAX_FILE_BYTES / 2**20))
    return data


def _check_zip(data: bytes, name: str) -> None:
    """Reject a corrupt zip package or one that expands beyond the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise file_error("damaged", name=name) from None
    if total > MAX_UNZIPPED_BYTES:
        raise file_error("too_large_unzipped", name=name,
                         size_gb=round(total / 2**30, 1),
                         limit_gb=round(MAX_UNZIPPED_BYTES / 2**30))


def _utf16_text(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        head[1::2].count(0) > len(head) * 0.2 or head[0::2].count(0) > len(head) * 0.2)
