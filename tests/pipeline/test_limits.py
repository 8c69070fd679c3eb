"""Hostile files are refused before parsing, in one line, while they still cost little memory."""

import dataclasses
import hashlib
import io
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib

import pytest

from data_pipeline import limits
from data_pipeline.readers import ReadError, read_export
from tests.conftest import ROOT
from tests.pipeline.exports import audit_row, headings, xlsx

MB = 1 << 20
SMALL = limits.Bounds(unpacked_bytes=500 * MB, ratio=100, rows=10, columns=40, cell_bytes=1000)


def deflated(parts: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``data * repeat`` for each part, its CRC-32 and unpacked size. A full flush
    makes each compressed block independent, so a gigabyte of zeros is one block repeated, not deflated."""
    out, crc, size = [], 0, 0
    for data, repeat in parts:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        out.append((packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)) * repeat)
        for _ in range(repeat):
            crc = zlib.crc32(data, crc)
        size += len(data) * repeat
    out.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    return b"".join(out), crc, size


def zip_of(members: dict[str, tuple[bytes, int, int]], claimed: dict[str, int] | None = None) -> bytes:
    """A zip (PKWARE APPNOTE 4.3) of already deflated members; ``claimed`` overrides a stated size."""
    body, central = b"", b""
    for name, (data, crc, size) in members.items():
        stated, encoded = (claimed or {}).get(name, size), name.encode()
        central += struct.pack(
            "<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), stated, len(encoded), 0, 0, 0, 0, 0,
            len(body),
        ) + encoded  # fmt: skip
        body += struct.pack(
            "<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), stated, len(encoded), 0
        ) + encoded + data  # fmt: skip
    count = len(members)
    return body + central + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)


def workbook_with(name: str, parts: list[tuple[bytes, int]], claimed: int | None = None) -> bytes:
    """A real one-response workbook with its member ``name`` replaced."""
    book = zipfile.ZipFile(io.BytesIO(xlsx([audit_row(1)])))
    members = {m: deflated([(book.read(m), 1)]) for m in book.namelist()}
    members[name] = deflated(parts)
    return zip_of(members, {name: claimed} if claimed is not None else None)


def refusal(data: bytes, name: str, bounds: limits.Bounds = SMALL) -> str:
    with pytest.raises(limits.Refused) as caught:
        limits.check(data, name, bounds)
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_a_zip_bomb_is_refused_under_a_memory_limit_and_leaves_the_warehouse_alone(tmp_path):
    """A 1 MB workbook whose sheet unpacks to 1 GB, ingested by the command line in a process that may hold
    1.5 GB of address space (DuckDB alone reserves most of 1 GB); the probe's bomb took 2.8 GB. The same
    process loads a real export first, so the limit leaves room for honest work."""
    gigabyte = [(b'<worksheet><dimension ref="A1:B2"/><sheetData>', 1), (b"\0" * MB, 1024), (b"</sheetData>", 1)]
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(workbook_with("xl/worksheets/sheet1.xml", gigabyte))
    assert bomb.stat().st_size < 2 * MB
    good = tmp_path / "june.xlsx"
    good.write_bytes(xlsx([audit_row(1), audit_row(2)]))
    db = tmp_path / "qa.duckdb"
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({1536 * MB}, {1536 * MB}))
        from data_pipeline import cli
        sys.exit(cli.main(sys.argv[1:]))
    """)

    def run(path):
        return subprocess.run(
            [sys.executable, "-c", script, "ingest", str(path), "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    loaded = run(good)
    assert (loaded.returncode, loaded.stderr) == (0, "")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    refused = run(bomb)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: bomb.xlsx: the workbook unpacks to 1,024 MB, over the 500 MB limit (QA_MAX_UNPACKED_MB)"
    ]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_part_that_unpacks_far_more_than_it_packs_is_refused():
    data = workbook_with("xl/sharedStrings.xml", [(b"<sst>", 1), (b"\0" * MB, 20), (b"</sst>", 1)])
    part = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    assert part.file_size / part.compress_size > 1000  # 20 MB of zeros packs to a few kilobytes
    assert refusal(data, "a.xlsx") == (
        f"the workbook's xl/sharedStrings.xml unpacks {part.file_size / part.compress_size:,.0f} times its packed "
        "size, over the limit of 100 (QA_MAX_ZIP_RATIO)"
    )


def test_a_part_that_unpacks_to_more_than_it_claims_is_refused_as_damaged():
    data = workbook_with("xl/sharedStrings.xml", [(b"<sst>" + b"a" * 1000 + b"</sst>", 1)], claimed=100)
    assert refusal(data, "a.xlsx") == "the workbook is damaged and cannot be read (a part does not unpack as it claims)"


def test_rows_columns_and_cell_length_are_bounded_in_a_workbook():
    assert limits.check(xlsx([audit_row(i) for i in range(1, 11)]), "a.xlsx", SMALL) is None
    assert refusal(xlsx([audit_row(i) for i in range(1, 12)]), "a.xlsx") == (
        "the sheet has 11 rows, over the limit of 10 (QA_MAX_ROWS)"
    )
    narrow = dataclasses.replace(SMALL, columns=20)
    columns = len(headings("case-audit-v1"))
    assert refusal(xlsx([audit_row(1)]), "a.xlsx", narrow) == (
        f"the file has {columns} columns, over the limit of 20 (QA_MAX_COLUMNS)"
    )
    long = xlsx([audit_row(1, **{"What is working well?": "x" * 1001})])
    assert refusal(long, "a.xlsx") == "a cell holds over 0 KB of text, the limit (QA_MAX_CELL_KB)"
    assert limits.check(xlsx([audit_row(1, **{"What is working well?": "x" * 999})]), "a.xlsx", SMALL) is None


def test_a_long_cell_split_across_the_scans_megabyte_chunks_is_still_found():
    head = b"<worksheet><sheetData>"
    padding = b"<x>a</x>" * ((MB - 700 - len(head)) // 8)
    start = len(head) + len(padding) + len(b"<t>")
    assert MB - 800 < start < MB - 600  # 1,500 bytes of text: about 700 before the chunk's end, 800 after
    sheet = head + padding + b"<t>" + b"y" * 1500 + b"</t></sheetData></worksheet>"
    data = workbook_with("xl/worksheets/sheet1.xml", [(sheet, 1)])
    any_ratio = dataclasses.replace(SMALL, ratio=float("inf"))  # the padding packs very well
    assert refusal(data, "a.xlsx", any_ratio) == "a cell holds over 0 KB of text, the limit (QA_MAX_CELL_KB)"


def test_a_sheet_without_its_stated_size_is_still_counted():
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i) for i in range(1, 13))
    data = workbook_with("xl/worksheets/sheet1.xml", [(b"<worksheet><sheetData>" + rows + b"</sheetData>", 1)])
    assert refusal(data, "a.xlsx") == "the sheet has over 10 rows, the limit (QA_MAX_ROWS)"


def test_rows_columns_and_cell_length_are_bounded_in_a_csv():
    def csv(rows, width=3, cell=b"x"):
        return b"\r\n".join([b",".join([b"h%d" % i for i in range(width)])] + [b",".join([cell] * width)] * rows)

    assert limits.check(csv(10), "a.csv", SMALL) is None
    assert refusal(csv(11), "a.csv") == "the file has over 10 rows, the limit (QA_MAX_ROWS)"
    assert refusal(csv(1, width=41), "a.csv") == "the file has 41 columns, over the limit of 40 (QA_MAX_COLUMNS)"
    assert refusal(csv(1, cell=b"y" * 1001), "a.csv") == "a cell holds over 0 KB of text, the limit (QA_MAX_CELL_KB)"
    quoted = b"a,b\r\n" + b'"one\nanswer\nover\nlines",2\r\n' * 10  # 40 lines, 10 records
    assert limits.check(quoted, "a.csv", SMALL) is None


def test_the_reader_refuses_with_the_same_line(monkeypatch):
    monkeypatch.setenv("QA_MAX_ROWS", "2")
    with pytest.raises(ReadError, match=r"^the file has over 2 rows, the limit \(QA_MAX_ROWS\)$"):
        read_export(io.BytesIO(b"a,b\n1,2\n3,4\n5,6\n"), "a.csv")
