"""The official OCDS 1.1.5 schemas, for validating the export in tests. Where each file comes from, and how
it was checked to be the official one: SOURCES.md beside this file and decision 0037. The release schema is kept
with the service (`operations/ocds_schema/`), which merges releases by it; the export is validated against it with
the lots extension applied, as the packages declare (decision 0038)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from services.contracts.operations.ocds import SCHEMA_DIR, release_schema

HERE = Path(__file__).parent
RELEASE_SCHEMA = "release-schema.json"
SHA256 = {  # as shipped in the pinned source distributions (record-package-schema.json: see SOURCES.md)
    "release-schema.json": "bf18280598c08c9889051a61e1cd39af8e1aebbfb9c260c31be155604026a149",
    "versioned-release-validation-schema.json": "6d7f759765ac3ebc0059f9aa5d385b8ba54db6834c12a8fd2972c9ed029bdc2a",
    "release-package-schema.json": "44a9d8d66001af8e44112b45f5cc7923ee2f40f4790e816f90af1782c5885ee5",
    "record-package-schema.json": "e1d568cd8942836ea41b65a8cec20f2304dc0bf6ac0d9118086171e3bf1f941a",
}


def path_of(name: str) -> Path:
    return (SCHEMA_DIR if name == RELEASE_SCHEMA else HERE) / name


def digest(name: str) -> str:
    return hashlib.sha256(path_of(name).read_bytes()).hexdigest()


@cache
def schemas() -> dict[str, dict]:
    return {name: json.loads(path_of(name).read_text(encoding="utf-8")) for name in SHA256}


@cache
def validator(package_schema: str, extended: bool = True) -> Draft4Validator:
    """A Draft 4 validator of the named package schema, with format checks, resolving every `$ref` to the
    official files by their `id` (never over the network); `extended`: the release schema with the lots
    extension applied stands under the release schema's id."""
    contents = {name: release_schema() if extended and name == RELEASE_SCHEMA else schema
                for name, schema in schemas().items()}
    registry = Registry().with_resources(
        (schemas()[name]["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in contents.items())
    return Draft4Validator(schemas()[package_schema], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def errors(package_schema: str, document: dict, extended: bool = True) -> list[str]:
    return [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator(package_schema, extended).iter_errors(document)]
