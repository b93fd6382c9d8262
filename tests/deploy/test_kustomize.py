"""Both Kubernetes overlays build with the machine's `kubectl kustomize` without a word on stderr: no deprecated
field (`bases`, `patchesStrategicMerge`, …) that a later kustomize would stop reading."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

OVERLAYS = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "overlays"
DEPRECATED = ("bases", "patchesStrategicMerge", "patchesJson6902", "commonLabels", "vars", "imageTags")


def kustomize(directory: Path) -> subprocess.CompletedProcess:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is not installed (make tools installs Debian's kubernetes-client)"
    return subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("overlay", sorted(path.name for path in OVERLAYS.iterdir() if path.is_dir()))
def test_the_overlay_builds_with_no_warning_and_uses_no_deprecated_field(overlay):
    built = kustomize(OVERLAYS / overlay)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    assert any(document["kind"] == "Deployment" for document in yaml.safe_load_all(built.stdout) if document)
    kustomization = yaml.safe_load((OVERLAYS / overlay / "kustomization.yaml").read_text())
    assert not set(kustomization) & set(DEPRECATED)


def test_kustomize_warns_on_stderr_about_a_deprecated_field(tmp_path):
    """What the test above looks for is what kustomize does with an old overlay."""
    overlay = tmp_path / "overlays" / "old"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(f"bases:\n  - {OVERLAYS.parent / 'base'}\n")
    built = kustomize(overlay)
    assert "'bases' is deprecated" in built.stderr
