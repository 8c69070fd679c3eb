"""The PDF: the same sections as the deck, each title in the text, with the small-number rule kept."""

import io
import re

from pypdf import PdfReader

from reports import pdf


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_has_the_same_section_titles(pack):
    reader = PdfReader(io.BytesIO(pdf.render(pack)))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for section in pack.slides():
        assert flat(section.title) in text, section.title
    for words in ("Notes and definitions", pack.cycle, "OFFICIAL – SENSITIVE", "Description:"):
        assert words in text
    assert reader.metadata.title == pack.title
    assert len(reader.pages) >= len(pack.slides()) + 2


def test_pdf_tables_show_n_lt_5_not_percentages(small_pack):
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.render(small_pack))).pages))
    assert "n<5" in text
