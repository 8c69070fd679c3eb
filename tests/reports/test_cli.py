"""``python -m reports pack`` writes the deck and the PDF; bad input is a one-line error and exit 2."""

import io

from pptx import Presentation
from pypdf import PdfReader

from reports.__main__ import main
from tests.reports.conftest import SAMPLE_CYCLE


def test_cli_writes_both_files(sample_warehouse, tmp_path, capsys):
    out, out_pdf = tmp_path / "pack.pptx", tmp_path / "pack.pdf"
    code = main(
        ["pack", "--cycle", SAMPLE_CYCLE, "--area", "Early Help", "--out", str(out), "--pdf", str(out_pdf),
         "--db", str(sample_warehouse), "--today", "2026-11-23"]
    )  # fmt: skip
    assert code == 0
    prs = Presentation(io.BytesIO(out.read_bytes()))
    assert "Early Help" in " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert len(PdfReader(out_pdf).pages) >= len(prs.slides)
    assert "wrote" in capsys.readouterr().out


def test_cli_refuses_an_unknown_cycle(sample_warehouse, tmp_path, capsys):
    code = main(["pack", "--cycle", "2030/31 Q1", "--out", str(tmp_path / "x.pptx"), "--db", str(sample_warehouse)])
    assert code == 2
    assert "no data for cycle" in capsys.readouterr().err
    assert not (tmp_path / "x.pptx").exists()


def test_cli_refuses_a_missing_warehouse(tmp_path, capsys):
    code = main(["pack", "--cycle", SAMPLE_CYCLE, "--out", str(tmp_path / "x.pptx"), "--db", str(tmp_path / "none")])
    assert code == 2
    assert "no warehouse" in capsys.readouterr().err


def test_cli_quotes_from_a_chosen_source(sample_warehouse, tmp_path):
    out = tmp_path / "pack.pptx"
    code = main(
        ["pack", "--cycle", SAMPLE_CYCLE, "--out", str(out), "--db", str(sample_warehouse), "--today", "2026-11-23",
         "--quotes-from", "child-voice"]
    )  # fmt: skip
    assert code == 0
    text = " ".join(
        s.text_frame.text for slide in Presentation(io.BytesIO(out.read_bytes())).slides for s in slide.shapes
        if s.has_text_frame
    )  # fmt: skip
    assert "texts from child's voice" in text
