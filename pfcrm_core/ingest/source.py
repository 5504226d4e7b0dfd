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
# Bytes of a text file searched for NUL characters, which text never contains.
_TEXT_PROBE = 1024

# Magic numbers of files that are not tables: (prefix, what it is, message key).
_NOT_TABLES = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "image"),
    (b"\xff\xd8\xff", "JPEG", "image"),
    (b"GIF87a", "GIF", "image"),
    (b"GIF89a", "GIF", "image"),
    (b"BM", "BMP", "image"),
    (b"II*\x00", "TIFF", "image"),
    (b"MM\x00*", "TIFF", "image"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "archive"),
    (b"Rar!\x1a\x07", "RAR", "archive"),
    (b"\x1f\x8b", "gzip", "archive"),
    (b"MZ", "Windows", "executable"),
    (b"\x7fELF", "Linux (ELF)", "executable"),
    (b"\xcf\xfa\xed\xfe", "macOS (Mach-O)", "executable"),
    (b"\xce\xfa\xed\xfe", "macOS (Mach-O)", "executable"),
    (b"\xca\xfe\xba\xbe", "macOS or Java", "executable"),
)


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
        For encrypted workbooks, Excel 2003 XML, PDF, images, archives, Word and
        PowerPoint documents, programs and other binary files.
    """
    head = data[:4096]
    if head.startswith(_ZIP):
        return _zip_format(data, name)
    if head.startswith(_OLE2):
        if _ENCRYPTION_STREAM in data[:1 << 20]:
            raise file_error("encrypted", name=name)
        return "xls"
    if head.startswith(b"%PDF"):
        raise file_error("pdf", name=name)
    for prefix, kind, key in _NOT_TABLES:
        # Two-byte prefixes such as "MZ" can start a text file too, but the
        # headers of these formats contain NUL bytes, which text never does.
        short = len(prefix) <= 2
        if head.startswith(prefix) and (not short or b"\x00" in head[:_TEXT_PROBE]):
            raise file_error(key, name=name, kind=kind)
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head.lower():
        raise file_error("xml2003", name=name)
    if sniff.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            sniff.startswith(b"<") and b"<table" in data[:1 << 16].lower()):
        return "html"
    if b"\x00" in data[:_TEXT_PROBE] and not _is_utf16(data):
        raise file_error("binary", name=name)
    return "csv"


def _zip_format(data: bytes, name: str) -> str:
    """Return "xlsx" or "ods" for a zip package that is a workbook.

    Raises
    ------
    ImportFileError
        For a Word or PowerPoint document or another zip archive. A damaged
        package is left to the workbook reader, which reports it.
    """
    if b"opendocument.spreadsheet" in data[:4096]:
        return "ods"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return "xlsx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        raise file_error("document", name=name, kind="Word")
    if any(n.startswith("ppt/") for n in names):
        raise file_error("document", name=name, kind="PowerPoint")
    if "mimetype" in names and b"opendocument" in data[:4096]:
        raise file_error("document", name=name, kind="OpenDocument")
    raise file_error("archive", name=name, kind="ZIP")


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


def _is_utf16(data: bytes) -> bool:
    """Return whether text with NUL bytes is UTF-16: it starts with a byte order
    mark, or one of every two bytes is NUL in ASCII text and the other never is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:2000]
    if len(sample) < 4:
        return False
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    return max(even_zero, odd_zero) > 0.4 and min(even_zero, odd_zero) < 0.05
