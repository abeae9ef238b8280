"""``atelier verify FILE`` checks any file: an Atelier image (manifest summary, valid with an
untrusted signer: exit 0), a file without Content Credentials and a tampered one (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from typer.testing import CliRunner

from atelier.cli import app as cli
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import solid_png
from tests.provenance.c2pa_reading import generate

runner = CliRunner()


async def test_verify_prints_the_summary_and_the_validation(client: httpx.AsyncClient, tmp_path: Path) -> None:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job, data = await generate(client, headers, "jpeg")
    path = tmp_path / "design.jpeg"
    path.write_bytes(data)

    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "Claim generator: Atelier" in result.output
    assert "Action: c2pa.created (http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia)" in result.output
    assert "engine atelier-design" in result.output
    assert "Signed by: Atelier content signer" in result.output
    assert "Validation: Valid" in result.output and "untrusted" in result.output

    as_json = runner.invoke(cli, ["verify", "--json", str(path)])
    assert as_json.exit_code == 0
    report = json.loads(as_json.output)
    assert report["validation"]["valid"] is True and report["summary"]["generation"]["job_id"] == job["id"]

    body = bytearray(data)
    body[len(body) // 2 + 100] ^= 0xFF  # inside the JPEG's entropy-coded image data
    path.write_bytes(bytes(body))
    tampered = runner.invoke(cli, ["verify", str(path)])
    assert tampered.exit_code == 1
    assert "Validation: Invalid" in tampered.output and "error assertion.dataHash.mismatch" in tampered.output


def test_verify_says_when_a_file_has_no_credentials(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    path.write_bytes(solid_png(16, 16))
    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1
    assert "No C2PA manifest" in result.output


def test_verify_names_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["verify", str(tmp_path / "nope.png")])
    assert result.exit_code == 1
    assert "cannot read" in result.output
