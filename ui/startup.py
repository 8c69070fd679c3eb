"""``python -m ui.startup [streamlit run options]``: refuse, before the server starts, to run local mode where
the network can reach it. scripts/dashboard runs this first; a server started some other way refuses on the
page and in its log instead (``ui.access.gate``)."""

import re
import sys

from streamlit import config
from streamlit.web import bootstrap

from ui import access

_FLAG = re.compile(r"--([a-zA-Z]+\.[a-zA-Z]+)(?:=(.*))?$")


def flags(argv: list[str]) -> dict[str, str]:
    """Streamlit's ``--section.option value`` and ``--section.option=value`` flags, keyed as bootstrap wants."""
    found, args = {}, list(argv)
    while args:
        match = _FLAG.match(args.pop(0))
        if match:
            value = match.group(2) if match.group(2) is not None else (args.pop(0) if args else "")
            found[match.group(1).replace(".", "_")] = value
    return found


def main(argv: list[str]) -> int:
    bootstrap.load_config_options(flag_options=flags(argv))
    if access.auth_section() is not None:
        return 0
    problem = access.local_mode_problem(config.get_option("server.address"))
    if problem:
        print(f"The dashboard will not start in local mode: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
