"""The Streamlit side of access control: which mode the dashboard runs in, who is reading, and what they may open.

**Local mode** (no ``[auth]`` in the Streamlit secrets): the server answers this computer only and everyone
is an analyst. The dashboard refuses to run in this mode when it is reachable from elsewhere (a
``server.address`` that is not loopback, or a request addressed to another host name, as through a proxy).

**Sign-in mode** (``[auth]`` configured): OpenID Connect through ``st.login``; the roles file
(``QA_ACCESS_FILE``, read by ``qa_read.access``) gives each person a role and a scope. Anyone else sees
only the sign-in page, or a page saying they have no access.

``gate`` runs at the top of every run of dashboard.py, before any page; ``current`` hands its answer to
the filters and the trail. Pages never ask who the reader is: their scope arrives in ``filters.current()``.
"""

import functools
import importlib.util
import ipaddress
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from data_pipeline import settings
from qa_read import access
from qa_read.access import Access, AccessConfigError
from qa_read.filters import Scope
from ui import trail_file
from ui.text import bold, md

log = logging.getLogger(__name__)

LOCAL = Access(email="local", role="analyst", scope=Scope(), rule="local mode")
LOCAL_MODE_NOTE = "Local mode: only this computer can open the dashboard; everyone is an analyst."
MIN_COOKIE_SECRET = 32
REQUIRED_AUTH_KEYS = ("redirect_uri", "client_id", "client_secret", "server_metadata_url")
# Pages by url path: the Data and Access trail pages are for analysts; the meeting pack (and its on-screen
# version) lists escalated audits, overdue actions and quotes, so it needs row-level access.
ANALYSTS_ONLY = frozenset({"data", "trail"})
NEEDS_ROWS = frozenset({"pack", "present"})
# Audit sampling lists cases with the council's IDs and writes a plan: analysts, and heads of service with rows.
PLANNERS = frozenset({"sampling"})
_SESSION_KEY = "_qa_access"


def auth_section() -> Mapping | None:
    """The ``[auth]`` section of the Streamlit secrets, or None: local mode."""
    try:
        section = st.secrets.get("auth")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return None
    return section or None


def signing_in() -> bool:
    return auth_section() is not None


def access_file() -> Path:
    return Path(settings.get("QA_ACCESS_FILE") or settings.path("QA_WAREHOUSE").parent / "access.toml").expanduser()


def gate() -> Access:
    """The reader's access. Anyone without it gets the page that says why, and the run stops there."""
    st.session_state.pop(_SESSION_KEY, None)
    auth = auth_section()
    if auth is None:
        problem = local_mode_problem(st.get_option("server.address"), dict(st.context.headers))
        if problem:
            _log_refusal(problem)
            _stop_at(_refusal("The dashboard will not run like this", problem), "Not available")
        who = LOCAL
    else:
        problem = sign_in_problem(auth)
        if problem:
            _stop_at(_refusal("Sign-in is not set up safely", problem), "Not available")
        if not st.user.is_logged_in:
            _stop_at(_sign_in, "Sign in")
        who = _signed_in()
    st.session_state[_SESSION_KEY] = who
    return who


@functools.lru_cache(maxsize=8)
def _log_refusal(problem: str) -> None:
    """Each reason the dashboard refuses to serve, once in the server's log (the page shows it every time)."""
    log.error("local mode refused: %s", problem)


def current() -> Access:
    """The access ``gate`` granted this run (every page runs after dashboard.py's gate)."""
    who = st.session_state.get(_SESSION_KEY)
    if not isinstance(who, Access):
        st.stop()  # a page run without the gate (it cannot happen through dashboard.py): show nothing
    return who


def scope() -> Scope:
    return current().scope


def pages_for(who: Access, pages: Mapping[str, list]) -> dict[str, list]:
    """The navigation sections with only the pages ``who`` may open; empty sections are left out."""

    def allowed(page) -> bool:
        if page.url_path in ANALYSTS_ONLY:
            return who.can_manage_data
        if page.url_path in PLANNERS:
            return who.can_manage_data or (who.role == "head_of_service" and who.rows)
        if page.url_path in NEEDS_ROWS:
            return who.rows
        return True

    sections = {section: [p for p in listed if allowed(p)] for section, listed in pages.items()}
    return {section: listed for section, listed in sections.items() if listed}


def sidebar(who: Access) -> None:
    """Who is reading and in which mode; the sign-out button in sign-in mode."""
    with st.sidebar:
        st.divider()
        if who == LOCAL:
            st.caption(f":material/computer: {LOCAL_MODE_NOTE}")
            return
        st.text(f"Signed in as {who.email}")  # plain text: markdown would make the address a mailto link
        st.caption(f":material/person: {md(describe(who))}")
        if st.button("Sign out", icon=":material/logout:", key="sign-out"):
            trail_file.write("sign-out", who.email, who.role)
            st.logout()


def describe(who: Access) -> str:
    """'Team manager: Assessment North' and the like, for the sidebar."""
    limits = [", ".join(v) for v in (who.scope.service_areas, who.scope.teams) if v is not None]
    what = "; ".join(limits) if limits else "all service areas"
    return f"{who.label}: {what}" + ("" if who.rows else " (figures only, no lists)")


# Headers a reverse proxy adds: their presence means the request did not come from this computer's browser.
FORWARDED_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def local_mode_problem(address: str | None, headers: Mapping | None = None) -> str | None:
    """Why local mode must not serve this request, or None. Local mode has no sign-in, so it serves only
    a server bound to loopback, asked for a loopback host name, and not through a proxy (a proxy on this
    same computer would otherwise hand the dashboard to whoever reaches the proxy)."""
    if not _is_loopback(address or ""):
        return (
            f"It listens on {address or 'every network address'} (server.address) but has no sign-in, so anyone "
            'on the network could open it. Run it with server.address = "localhost" (the repository\'s '
            ".streamlit/config.toml does this; start it from the repository folder), or set up sign-in: "
            "see docs/access.md."
        )
    headers = {str(k).lower(): v for k, v in (headers or {}).items()}
    if any(name.lower() in headers for name in FORWARDED_HEADERS):
        return (
            "It was reached through a proxy (the request carries a forwarded-for header), but has no sign-in. "
            "Open it at http://localhost on this computer, or set up sign-in: see docs/access.md."
        )
    host = headers.get("host")
    if host and not _is_loopback(urlsplit(f"//{host}").hostname or ""):
        return (
            "It was asked for as another computer's address, as through a proxy, but has no sign-in. "
            "Open it at http://localhost on this computer, or set up sign-in: see docs/access.md."
        )
    return None


def _is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sign_in_problem(auth: Mapping) -> str | None:
    """What is wrong with the ``[auth]`` settings, or None. Names settings, never their values."""
    secret = auth.get("cookie_secret")
    if not isinstance(secret, str) or len(secret) < MIN_COOKIE_SECRET:
        return (
            f"[auth] cookie_secret must be set to a random string of at least {MIN_COOKIE_SECRET} characters "
            '(for example the output of: python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    missing = [key for key in REQUIRED_AUTH_KEYS if not auth.get(key)]
    if missing:
        return f"[auth] is missing {', '.join(missing)}. See docs/access.md."
    if importlib.util.find_spec("authlib") is None:
        return "Authlib is not installed: run scripts/setup-venv requirements.txt."
    return None


def _signed_in() -> Access:
    user = st.user
    email = access.normalise_email(user.get("email") or user.get("preferred_username"))
    groups = user.get("groups") or ()
    path = access_file()
    try:
        config = _config(path, _stat_id(path))
    except AccessConfigError as exc:
        log.warning("access settings unusable: %s", exc)
        _stop_at(_refusal("The dashboard's access settings need attention", str(exc), sign_out=True), "Not available")
    who = access.resolve(config, email, groups, oid=user.get("oid"))
    if who is None:
        if st.session_state.get("_qa_denied") != email:
            trail_file.write("denied", email or "(no e-mail in the sign-in)", "")
            st.session_state["_qa_denied"] = email
        _stop_at(functools.partial(_no_access, email), "No access")
    return who


def _stat_id(path: Path) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _config(path: Path, stat_id: tuple) -> access.AccessConfig:
    """The roles file, read again whenever it changes (``stat_id`` is part of the cache key)."""
    return access.load(path)


def _stop_at(page, title: str) -> None:
    """Show ``page`` as the only page there is, and end the run."""
    st.navigation([st.Page(page, title=title, icon=":material/lock:", default=True)], position="hidden").run()
    st.stop()


def _sign_in() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle.container(border=True):
        st.title("QA dashboard")
        st.write(
            "Audits, practice learning days, supervision and actions in children's social care. "
            "Sign in with your council account to continue."
        )
        st.button("Sign in", type="primary", icon=":material/login:", key="sign-in", on_click=st.login)
        st.caption(
            "You will see the service areas or teams your role covers. Every page you open and every file you "
            "download is recorded in the dashboard's access trail."
        )


def _no_access(email: str) -> None:
    st.title("No access yet")
    if email:
        st.write(f"You are signed in as {bold(email)}, but the dashboard has not been given your role.")
        st.write("Ask your dashboard administrator to add this address, or a group you are in, to its roles file:")
        st.code(email, language=None)
    else:
        st.write("Your sign-in did not say your e-mail address, so the dashboard cannot look up your role.")
        st.write("Ask your dashboard administrator to check the app registration's e-mail claim (docs/access.md).")
    _sign_out_button()


def _refusal(heading: str, problem: str, sign_out: bool = False):
    def page() -> None:
        st.title(heading)
        st.error(md(problem), icon=":material/block:")
        st.caption("An administrator can put this right: see docs/access.md.")
        if sign_out:
            _sign_out_button()

    return page


def _sign_out_button() -> None:
    if st.button("Sign out", icon=":material/logout:", key="sign-out"):
        st.logout()
