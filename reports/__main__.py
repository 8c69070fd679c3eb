"""The command line: ``python -m reports pack --cycle "2026/27 Q2" --out pack.pptx [--pdf pack.pdf]``."""

import argparse
import datetime as dt
import sys
from pathlib import Path

from data_pipeline import settings
from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters
from reports import content, pdf, pptx

QUOTE_CHOICES = {"focus-groups": "focus_group_notes", "child-voice": "child_voice", "audit-comments": "audit_comments"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reports", description="The practice progress meeting pack.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    pack = commands.add_parser("pack", help="write the meeting pack for one cycle as PowerPoint (and PDF)")
    pack.add_argument("--cycle", required=True, help='the cycle the meeting is about, e.g. "2026/27 Q2", or "latest"')
    pack.add_argument("--area", action="append", default=[], help="a service area (repeat for several; default: all)")
    pack.add_argument("--out", type=Path, required=True, help="the PowerPoint file to write (.pptx)")
    pack.add_argument("--pdf", type=Path, help="also write the same pack as a PDF here")
    pack.add_argument(
        "--db", type=Path, help=f"warehouse file (default: $QA_WAREHOUSE or {settings.get('QA_WAREHOUSE')})"
    )
    pack.add_argument(
        "--today", type=dt.date.fromisoformat, help="count waiting times to this date (YYYY-MM-DD; default: today)"
    )
    pack.add_argument(
        "--quotes-from",
        action="append",
        choices=QUOTE_CHOICES,
        help="where themes and quotes come from (repeat for several; default: focus-groups and child-voice)",
    )
    pack.set_defaults(run=_pack)
    return parser


def _pack(args) -> int:
    db = args.db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        print(f"error: no warehouse at {db} (load exports with python -m data_pipeline ingest)", file=sys.stderr)
        return 2
    wh = Warehouse(db)
    cycle = args.cycle
    if cycle == "latest":
        cycle = cycles.latest_and_previous(wh, Filters(service_areas=tuple(args.area)))[0] or ""
    try:
        quotes_from = [QUOTE_CHOICES[c] for c in args.quotes_from] if args.quotes_from else content.QUOTE_SOURCES
        built = content.build(wh, cycle, args.area, today=args.today, quotes_from=quotes_from)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.write_bytes(pptx.render(built))
    print(f"wrote {args.out} ({len(built.slides()) + 2} slides)")
    if args.pdf:
        args.pdf.write_bytes(pdf.render(built))
        print(f"wrote {args.pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
