"""The Teams app package: a valid manifest with this deployment's ids, and icons."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from bot.teams.package import (
    MANIFEST_DIR,
    PackageError,
    PackageValues,
    build,
    main,
    png_size,
)

APP_ID = "8f1c8a2e-3d5b-4e0c-9f7a-1b2c3d4e5f60"


def test_the_package_holds_the_filled_manifest_and_both_icons(tmp_path: Path) -> None:
    out = build(
        PackageValues(
            app_id=APP_ID.upper(),
            public_url="https://healthcheck.westmere.gov.uk/",
            organisation_name="Westmere Council",
        ),
        tmp_path / "app.zip",
    )
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == [
            "color.png",
            "manifest.json",
            "outline.png",
        ]
        manifest = json.loads(package.read("manifest.json"))
        assert png_size(package.read("color.png")) == (192, 192)
        assert png_size(package.read("outline.png")) == (32, 32)
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert bot["scopes"] == ["personal", "team"]
    assert manifest["validDomains"] == ["healthcheck.westmere.gov.uk"]
    assert manifest["developer"]["name"] == "Westmere Council"
    assert manifest["developer"]["privacyUrl"].startswith("https://")
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["name"]["short"]) <= 30
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_the_outline_icon_is_white_on_transparent() -> None:
    from PIL import Image

    with Image.open(MANIFEST_DIR / "outline.png") as image:
        rgba = image.convert("RGBA")
        pixels = [rgba.getpixel((x, y)) for x in range(32) for y in range(32)]
    drawn = [pixel for pixel in pixels if pixel[3] > 0]
    assert drawn
    assert all(pixel[:3] == (255, 255, 255) for pixel in drawn)
    assert any(pixel[3] == 0 for pixel in pixels)


@pytest.mark.parametrize(
    ("app_id", "public_url", "problem"),
    [
        ("not-a-guid", "https://x.example", "not a GUID"),
        (APP_ID, "http://x.example", "must start with https://"),
    ],
)
def test_bad_values_are_refused_in_one_line(
    app_id: str, public_url: str, problem: str, tmp_path: Path
) -> None:
    with pytest.raises(PackageError, match=problem):
        build(PackageValues(app_id, public_url), tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()


def test_the_command_line_builds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nested" / "teams.zip"
    code = main(
        [
            "--app-id",
            APP_ID,
            "--public-url",
            "https://hc.example.org",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert out.exists()
    assert "upload it in Teams" in capsys.readouterr().out
    assert (
        main(["--app-id", "x", "--public-url", "https://a.b", "--out", str(out)]) == 2
    )


def test_make_teams_package_takes_a_version(tmp_path: Path) -> None:
    """``make teams-package VERSION=1.4.2`` writes that version into the manifest."""
    import json
    import os
    import subprocess
    import zipfile

    root = Path(__file__).resolve().parents[3]
    environment = {
        **os.environ,
        "HEALTHCHECK_TEAMS_APP_ID": APP_ID,
        "HEALTHCHECK_PUBLIC_URL": "https://hc.example.org",
        "HEALTHCHECK_SECRET_KEY": "package-test-secret-0123456789abcdef",
    }
    made = subprocess.run(  # noqa: S603 (our own Makefile)
        ["make", "-s", "teams-package", "VERSION=1.4.2"],  # noqa: S607
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(root / "build" / "health-check-teams.zip") as package:
        assert json.loads(package.read("manifest.json"))["version"] == "1.4.2"
    refused = subprocess.run(  # noqa: S603
        ["make", "-s", "teams-package", "VERSION=1.4"],  # noqa: S607
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "is not MAJOR.MINOR.PATCH" in refused.stderr
