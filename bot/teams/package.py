"""Build the Teams app package: manifest.json with this deployment's ids, and icons.

``python -m bot.teams.package`` (``make teams-package``) reads the app id and the
public address from the settings (``HEALTHCHECK_TEAMS_APP_ID``,
``HEALTHCHECK_PUBLIC_URL``) or from its options, fills in the manifest template
in ``teams/manifest/`` and writes a zip to sideload in Teams.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "teams" / "manifest"
ICONS = {"color.png": (192, 192), "outline.png": (32, 32)}
DEFAULT_OUT = Path("build/health-check-teams.zip")
DEFAULT_VERSION = "1.0.0"
VERSION = re.compile(r"(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})")
"""Teams takes MAJOR.MINOR.PATCH, each part a number (no leading zeros, no suffix)."""


class PackageError(ValueError):
    """A value the package cannot be built with; the message says which."""


@dataclass(frozen=True)
class PackageValues:
    """What goes into the manifest."""

    app_id: str
    public_url: str
    organisation_name: str = "Health Check"
    privacy_url: str | None = None
    terms_url: str | None = None
    version: str = DEFAULT_VERSION

    def checked(self) -> dict[str, str]:
        """The template's placeholders, after checking each value.

        Raises:
            PackageError: an app id that is not a GUID, an address not https, or
                a version that is not MAJOR.MINOR.PATCH.
        """
        if not VERSION.fullmatch(self.version):
            raise PackageError(
                f"The version '{self.version}' is not MAJOR.MINOR.PATCH (e.g. 1.2.0); "
                "Teams updates an installed app only when the version goes up."
            )
        try:
            app_id = str(uuid.UUID(self.app_id))
        except ValueError:
            raise PackageError(
                f"The Teams app id '{self.app_id}' is not a GUID (the app "
                "registration's Application (client) ID)."
            ) from None
        public = self.public_url.rstrip("/")
        parts = urlsplit(public)
        if parts.scheme != "https" or not parts.hostname:
            raise PackageError(
                f"The public address '{self.public_url}' must start with https:// "
                "(Teams calls the bot there)."
            )
        return {
            "TEAMS_APP_ID": app_id,
            "PUBLIC_URL": public,
            "PUBLIC_HOST": parts.hostname,
            "ORGANISATION_NAME": self.organisation_name[:32],
            "PRIVACY_URL": self.privacy_url or f"{public}/",
            "TERMS_URL": self.terms_url or f"{public}/",
            "APP_VERSION": self.version,
        }


def manifest(values: PackageValues, template: Path = MANIFEST_DIR) -> dict[str, object]:
    """The filled-in manifest."""
    text = (template / "manifest.json").read_text(encoding="utf-8")
    for name, value in values.checked().items():
        text = text.replace("{{" + name + "}}", value.replace('"', ""))
    if "{{" in text:
        raise PackageError("the manifest template has a placeholder left unfilled")
    filled: dict[str, object] = json.loads(text)
    return filled


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise PackageError("an icon is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def build(values: PackageValues, out: Path, template: Path = MANIFEST_DIR) -> Path:
    """Write the zip (manifest.json and both icons at its root); returns its path."""
    filled = manifest(values, template)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(filled, indent=2) + "\n")
        for name, size in ICONS.items():
            data = (template / name).read_bytes()
            if png_size(data) != size:
                raise PackageError(f"{name} must be {size[0]}x{size[1]} pixels")
            package.writestr(name, data)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: build the package, or say in one line why it cannot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-id", help="default: HEALTHCHECK_TEAMS_APP_ID")
    parser.add_argument("--public-url", help="default: HEALTHCHECK_PUBLIC_URL")
    parser.add_argument("--name", help="who publishes it, e.g. the council's name")
    parser.add_argument("--privacy-url")
    parser.add_argument("--terms-url")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--version",
        default=DEFAULT_VERSION,
        help="the app's version, MAJOR.MINOR.PATCH; raise it for each new upload",
    )
    options = parser.parse_args(argv)
    app_id, public_url = options.app_id, options.public_url
    if not app_id or not public_url:
        from bot.settings import load_settings

        settings = load_settings()
        app_id = app_id or settings.teams_app_id
        public_url = public_url or settings.public_url
    if not app_id or not public_url:
        print(
            "Give --app-id and --public-url, or set HEALTHCHECK_TEAMS_APP_ID and "
            "HEALTHCHECK_PUBLIC_URL.",
            file=sys.stderr,
        )
        return 2
    values = PackageValues(
        app_id=app_id,
        public_url=public_url,
        organisation_name=options.name or "Health Check",
        privacy_url=options.privacy_url,
        terms_url=options.terms_url,
        version=options.version,
    )
    try:
        written = build(values, options.out)
    except PackageError as error:
        print(str(error), file=sys.stderr)
        return 2
    print(f"Wrote {written}: upload it in Teams (Apps > Manage your apps).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
