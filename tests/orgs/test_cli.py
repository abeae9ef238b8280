"""``atelier orgs …`` on the configured database: an operator lists organizations and
members, adds a member, changes roles and removes members, with the API's rules."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_cli import cli_env, run


def test_orgs_commands_manage_members(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    for email in ("ops@example.com", "ana@example.com"):
        created = run(["users", "create", "--email", email], env, stdin="s3cret-password\n")
        assert created.returncode == 0, created.stderr
    listed = run(["orgs", "list", "--email", "ops@example.com"], env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 1 and "members=1" in lines[0]
    org = lines[0].split()[0]

    added = run(["orgs", "add-member", "--org", org, "--email", "ana@example.com", "--role", "viewer"], env)
    assert added.returncode == 0 and "as viewer" in added.stdout, added.stderr
    again = run(["orgs", "add-member", "--org", org, "--email", "ana@example.com"], env)
    assert again.returncode == 1 and "already a member" in again.stderr
    members = run(["orgs", "members", "--org", org], env).stdout
    roles = {line.split()[2]: line.split()[1] for line in members.strip().splitlines()}
    assert roles == {"ops@example.com": "owner", "ana@example.com": "viewer"}

    last = run(["orgs", "set-role", "--org", org, "--email", "ops@example.com", "--role", "admin"], env)
    assert last.returncode == 1 and "last owner" in last.stderr
    promoted = run(["orgs", "set-role", "--org", org, "--email", "ana@example.com", "--role", "owner"], env)
    assert promoted.returncode == 0 and promoted.stdout.strip().endswith("owner"), promoted.stderr
    removed = run(["orgs", "remove-member", "--org", org, "--email", "ops@example.com"], env)
    assert removed.returncode == 0 and "0 key(s) revoked" in removed.stdout, removed.stderr
    assert "members=1" in run(["orgs", "list"], env).stdout.split(org)[1].splitlines()[0]
    missing = run(["orgs", "members", "--org", "org_nope"], env)
    assert missing.returncode == 1 and "no organization org_nope" in missing.stderr
    for command in (["orgs"], ["orgs", "list"], ["orgs", "add-member"], ["orgs", "remove-member"]):
        assert "Usage" in run([*command, "--help"], env).stdout
