"""The roles file: what each rule gives, which rule wins, and the mistakes it refuses."""

from pathlib import Path

import pytest

from qa_read import access
from qa_read.access import AccessConfigError
from qa_read.filters import Scope
from tests.conftest import ROOT

HEADS = "11111111-aaaa-4bbb-8ccc-000000000001"
MANAGERS = "22222222-aaaa-4bbb-8ccc-000000000002"
ANALYSTS = "33333333-aaaa-4bbb-8ccc-000000000003"

FILE = f"""
[[users]]
email = "Pat.Lead@Council.example"
role = "head_of_service"

[[users]]
email = "sam@council.example"
role = "team_manager"
teams = ["Assessment North"]

[[groups]]
id = "{MANAGERS}"
name = "Team managers, North"
role = "team_manager"
teams = ["Assessment North", "Child Protection North"]

[[groups]]
id = "{HEADS}"
name = "Heads of service"
role = "head_of_service"
service_areas = ["North", "South"]

[[groups]]
id = "{ANALYSTS}"
role = "analyst"
"""


@pytest.fixture
def config():
    return access.parse(FILE)


@pytest.mark.parametrize(
    ("role", "settings", "scope"),
    [
        ("head_of_service", "", Scope()),
        ("head_of_service", 'service_areas = ["North"]', Scope(service_areas=("North",))),
        ("service_manager", 'service_areas = ["North", "East"]', Scope(service_areas=("North", "East"))),
        ("team_manager", 'teams = ["N1"]', Scope(teams=("N1",))),
        ("analyst", "", Scope()),
        ("viewer", "", Scope(rows=False)),
        ("viewer", 'service_areas = ["South"]', Scope(service_areas=("South",), rows=False)),
    ],
)
def test_each_role_gives_its_scope(role, settings, scope):
    config = access.parse(f'[[users]]\nemail = "a@b.example"\nrole = "{role}"\n{settings}\n')
    who = access.resolve(config, "a@b.example")
    assert (who.role, who.scope) == (role, scope)
    assert who.rows is (role != "viewer")
    assert who.can_manage_data is (role == "analyst")


def test_email_matching_ignores_case_and_spaces(config):
    assert access.resolve(config, "  pat.lead@COUNCIL.example ").role == "head_of_service"


def test_a_user_rule_beats_every_group_rule(config):
    # Sam is in the analysts' group too, but the rule naming Sam decides.
    who = access.resolve(config, "sam@council.example", [ANALYSTS, HEADS])
    assert (who.role, who.scope.teams, who.rule) == ("team_manager", ("Assessment North",), "user rule 2")


def test_among_groups_the_first_listed_wins(config):
    who = access.resolve(config, "kim@council.example", [ANALYSTS, HEADS, MANAGERS])
    assert who.role == "team_manager"
    assert who.rule == "group rule 1 (Team managers, North)"
    # The order of the token's groups does not matter; the order of the file does.
    assert access.resolve(config, "kim@council.example", [MANAGERS, HEADS]) == who


def test_group_ids_are_matched_exactly_ignoring_case(config):
    assert access.resolve(config, "kim@council.example", [HEADS.upper()]).role == "head_of_service"
    assert access.resolve(config, "kim@council.example", [HEADS[:-1]]) is None
    assert access.resolve(config, "kim@council.example", HEADS).role == "head_of_service"  # one group, as text


@pytest.mark.parametrize(("email", "groups"), [("stranger@council.example", []), ("", [ANALYSTS]), (None, None)])
def test_anyone_no_rule_names_has_no_access(config, email, groups):
    assert access.resolve(config, email, groups) is None


def test_an_empty_file_lets_no_one_in():
    assert access.resolve(access.parse(""), "pat.lead@council.example", [HEADS]) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[users]]\nemail = "a@b.example"\nrole = "admin"', "role must be one of"),
        ('[[users]]\nemail = "a@b.example"\nrole = "team_manager"', "a team_manager needs teams"),
        ('[[users]]\nemail = "a@b.example"\nrole = "service_manager"', "a service_manager needs service_areas"),
        ('[[users]]\nemail = "a@b.example"\nrole = "team_manager"\nteams = []', "non-empty list"),
        ('[[users]]\nemail = "a@b.example"\nrole = "team_manager"\nteams = "N1"', "non-empty list"),
        ('[[users]]\nemail = "a@b.example"\nrole = "service_manager"\nteams = ["N1"]', "'teams' is not used"),
        ('[[users]]\nemail = "a@b.example"\nrole = "analyst"\nservice_areas = ["N"]', "sees everything"),
        ('[[users]]\nemail = "a@b.example"\nrole = "analyst"\nrows = true', "'rows' is not used"),
        ('[[users]]\nemail = "not an address"\nrole = "analyst"', "e-mail address"),
        ('[[users]]\nemail = "z@b.ex"\nrole = "analyst"\n[[users]]\nemail = "Z@b.ex"\nrole = "viewer"', "same e-mail"),
        ('[[groups]]\nrole = "analyst"', "object ID"),
        ('[[groups]]\nid = "x"\nrole = "analyst"\n[[groups]]\nid = "X"\nrole = "viewer"', "same id as group rule 1"),
        ("[admins]\nemail = 'a@b.example'", "unknown section"),
        ("[[users]\n", "not valid TOML"),
    ],
)
def test_mistakes_are_refused_with_where_and_why(text, message):
    with pytest.raises(AccessConfigError, match=message) as caught:
        access.parse(text)
    assert "a@b.example" not in str(caught.value), "error messages name rules, not people"


def test_a_missing_file_is_an_error_not_an_open_door(tmp_path):
    with pytest.raises(AccessConfigError, match="cannot read the roles file"):
        access.load(tmp_path / "absent.toml")


def test_load_names_the_file(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text('[[users]]\nemail = "a@b.example"\nrole = "boss"\n')
    with pytest.raises(AccessConfigError, match=f"{path}: user rule 1"):
        access.load(path)


def test_the_documented_example_is_valid():
    config = access.load(Path(ROOT, "docs", "access.example.toml"))
    assert config.users and config.oids and config.groups
    people = [*config.users.values(), *config.oids.values()]
    roles = {rule.role for _, rule in people} | {rule.role for _, _, rule in config.groups}
    assert roles == set(access.ROLES)


PAT_OID = "0a1b2c3d-0000-4000-8000-00000000abcd"
OID_FILE = f"""
[[users]]
oid = "{PAT_OID.upper()}"
name = "Pat Lead, by object ID"
role = "service_manager"
service_areas = ["North"]

[[users]]
email = "pat@council.example"
role = "analyst"
"""


def test_a_rule_naming_the_object_id_wins_over_the_e_mail():
    """Microsoft advises the oid claim: an e-mail can change or pass to someone else, the object ID cannot."""
    config = access.parse(OID_FILE)
    who = access.resolve(config, "pat@council.example", oid=PAT_OID)
    assert (who.role, who.scope.service_areas, who.rule) == ("service_manager", ("North",), "user rule 1")
    # Someone else now holding Pat's old address, with their own object ID, gets the e-mail rule only.
    other = access.resolve(config, "pat@council.example", oid="99999999-0000-4000-8000-000000000000")
    assert other.role == "analyst"


def test_a_sign_in_without_an_e_mail_is_found_by_object_id_and_named_by_it():
    who = access.resolve(access.parse(OID_FILE), None, oid=PAT_OID)
    assert who.email == PAT_OID and who.role == "service_manager"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('role = "analyst"', "name the person by oid"),
        ('oid = "not-an-id"\nrole = "analyst"', "oid must be an object ID"),
        (f'oid = "{PAT_OID}"\nrole = "analyst"\n[[users]]\noid = "{PAT_OID}"\nrole = "viewer"', "the same oid"),
    ],
)
def test_object_id_rules_refuse_mistakes(rule, message):
    with pytest.raises(AccessConfigError, match=message):
        access.parse(f"[[users]]\n{rule}\n")
