"""Signed meeting links: bound to session and role, expiring, revocable, unforgeable."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied
from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


def test_a_link_grants_its_role_on_its_session(workspace: Workspace, demo: str) -> None:
    for role in workspace.sessions.roles(demo):
        token = access.make_token(workspace, demo, role)
        grant = access.check_query(workspace, f"{access.PARAM}={token}")
        assert (grant.session_id, grant.role) == (demo, role)


def _flip(token: str, at: int) -> str:
    c = token[at]
    return token[:at] + ("A" if c != "A" else "B") + token[at + 1:]


@pytest.mark.parametrize(
    "query, reason",
    [
        ("", "needs a meeting link"),
        (f"{access.PARAM}=", "needs a meeting link"),
        (f"{access.PARAM}=garbage", "not valid"),
        ("token=abc", "needs a meeting link"),
    ],
)
def test_missing_or_garbage_links_are_refused(workspace: Workspace, demo: str, query: str, reason: str) -> None:
    with pytest.raises(AccessDenied, match=reason):
        access.check_query(workspace, query)


def test_tampered_truncated_and_reassembled_links_are_refused(workspace: Workspace, demo: str) -> None:
    token = access.make_token(workspace, demo, "customer")
    facilitator = access.make_token(workspace, demo, "facilitator")
    payload, sig = token.split(".")
    fpayload, _ = facilitator.split(".")
    forged = [
        _flip(token, 5),  # payload changed
        _flip(token, len(token) - 3),  # signature changed
        token[:-4],  # truncated
        f"{fpayload}.{sig}",  # another role's payload with this signature
        token + token,
        "x" * 5000,
    ]
    for bad in forged:
        with pytest.raises(AccessDenied):
            access.verify_token(workspace, bad)


def test_a_link_signed_by_another_workspace_is_refused(workspace: Workspace, demo: str, tmp_path) -> None:
    other = Workspace(tmp_path / "other")
    sid = other.sessions.import_file(starter_path("undisclosed-risk"))
    token = access.make_token(other, sid, "facilitator")
    with pytest.raises(AccessDenied, match="not valid"):
        access.verify_token(workspace, token)


def test_expired_links_are_refused(workspace: Workspace, demo: str) -> None:
    token = access.make_token(workspace, demo, "management", ttl_hours=-0.01)
    with pytest.raises(AccessDenied, match="expired"):
        access.verify_token(workspace, token)


def test_revoking_stops_every_earlier_link_and_new_links_work(workspace: Workspace, demo: str) -> None:
    old = access.make_token(workspace, demo, "customer")
    workspace.meeting.revoke_links(demo)
    with pytest.raises(AccessDenied, match="revoked"):
        access.verify_token(workspace, old)
    new = access.make_token(workspace, demo, "customer")
    assert access.verify_token(workspace, new).role == "customer"


def test_links_for_unknown_roles_cannot_be_made(workspace: Workspace, demo: str) -> None:
    with pytest.raises(AccessDenied, match="unknown role"):
        access.make_token(workspace, demo, "sponsor")


def test_the_secret_is_private_to_its_owner(workspace: Workspace, demo: str) -> None:
    access.make_token(workspace, demo, "customer")
    mode = (workspace.folder / "secret.key").stat().st_mode & 0o777
    assert mode == 0o600


def test_duplicated_parameter_is_refused(workspace: Workspace, demo: str) -> None:
    a = access.make_token(workspace, demo, "customer")
    b = access.make_token(workspace, demo, "facilitator")
    with pytest.raises(AccessDenied):
        access.check_query(workspace, f"{access.PARAM}={a}&{access.PARAM}={b}")
