"""The images: every Dockerfile passes hadolint with no finding, and every image that prints PDFs carries the fonts
they need, which is proven by printing every kind of document with the fonts of its Debian packages alone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared.documents import FONT_FILES

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCKERFILES = sorted(ROOT.glob("services/*/Dockerfile"))
# Each kind of document (services/<service>/templates/<kind>.<language>.html) and the unit tests that print it.
DOCUMENT_TESTS = {
    "visa_letter": "services/visits/tests/test_visa_letters_api.py::"
                   "test_the_issued_letter_renders_to_pdf_in_its_language_with_its_registry_number",
    "decline_letter": "services/visits/tests/test_invitations_api.py::"
                      "test_a_declined_invitation_has_a_reply_letter_in_the_language_chosen",
    "travel-order": "services/trips/tests/test_travel_order_pdf.py",
    "annual_report": "services/outreach/tests/test_analytics.py::"
                     "test_the_annual_report_is_a_pdf_in_the_language_asked_with_its_figures_and_charts",
}


def document_kinds() -> dict[str, set[str]]:
    """Service → the kinds of document its templates print."""
    kinds: dict[str, set[str]] = {}
    for template in ROOT.glob("services/*/templates/*.en.html"):
        kinds.setdefault(template.parts[-3], set()).add(template.name.removesuffix(".en.html"))
    return kinds


def installed_packages(dockerfile: Path) -> list[str]:
    """The Debian packages the Dockerfile installs, without their pinned versions."""
    text = dockerfile.read_text().replace("\\\n", " ")
    return [word.split("=")[0] for command in re.findall(r"apt-get install ([^&\n]+)", text)
            for word in command.split() if not word.startswith("-")]


def font_dir_of(dockerfile: Path) -> str:
    found = re.search(r"\bCHANCERY_FONT_DIR=(\S+)", dockerfile.read_text())
    assert found, f"{dockerfile.relative_to(ROOT)} does not set CHANCERY_FONT_DIR"
    return found.group(1)


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.parts[-2])
def test_hadolint_finds_nothing_in_the_dockerfile(dockerfile):
    linted = subprocess.run([str(BIN / "hadolint"), "--no-color", "--failure-threshold", "info", str(dockerfile)],
                            capture_output=True, text=True, timeout=60)
    assert linted.returncode == 0 and linted.stdout == "", linted.stdout + linted.stderr


def test_hadolint_would_catch_a_dockerfile_running_as_a_user_name(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILES[0].read_text().replace("USER 10001", "USER chancery"))
    linted = subprocess.run([str(BIN / "hadolint"), "--no-color", str(dockerfile)], capture_output=True, text=True,
                            timeout=60)
    assert linted.returncode != 0 and "DL3066" in linted.stdout


def test_every_kind_of_document_is_printed_by_a_test_named_here():
    assert set().union(*document_kinds().values()) == set(DOCUMENT_TESTS)


@pytest.mark.parametrize("service", sorted(document_kinds()))
def test_an_image_that_prints_documents_prints_every_kind_with_the_fonts_of_its_own_packages_alone(service, tmp_path):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    font_dir = font_dir_of(dockerfile)
    packages = installed_packages(dockerfile)
    assert packages, f"{service}: its Dockerfile installs no font package"
    # What those packages put in the font directory, as dpkg lists them on this (Debian) machine: nothing else.
    files = [Path(line) for package in packages for line in subprocess.run(
        ["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith(f"{font_dir}/") and line.endswith(".ttf")]
    image_fonts = tmp_path / "fonts"
    image_fonts.mkdir()
    for file in files:
        shutil.copy(file, image_fonts)
    assert set(FONT_FILES.values()) <= {file.name for file in files}, f"{service}: {sorted(f.name for f in files)}"

    tests = [DOCUMENT_TESTS[kind] for kind in sorted(document_kinds()[service])]
    printed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT,
                             capture_output=True, text=True, timeout=600,
                             env={**os.environ, "CHANCERY_FONT_DIR": str(image_fonts)})
    assert printed.returncode == 0, printed.stdout[-3000:]
    assert re.search(r"\b\d+ passed\b", printed.stdout) and " failed" not in printed.stdout


def test_printing_fails_without_the_oblique_fonts_of_the_extra_package(tmp_path):
    """The check above is not vacuous: fonts-dejavu-core alone lacks the obliques the documents use."""
    core_only = tmp_path / "fonts"
    core_only.mkdir()
    for file in (FONT_FILES[""], FONT_FILES["B"]):
        shutil.copy(Path("/usr/share/fonts/truetype/dejavu") / file, core_only)
    printed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                              DOCUMENT_TESTS["travel-order"]], cwd=ROOT, capture_output=True, text=True,
                             timeout=600, env={**os.environ, "CHANCERY_FONT_DIR": str(core_only)})
    assert printed.returncode != 0 and "DejaVuSans-Oblique.ttf" in printed.stdout
