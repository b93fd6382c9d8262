"""Every service's OpenAPI document is valid OpenAPI 3.1 for strict validators and client generators, and names
each problem an operation may answer with by its type and its one title."""

from __future__ import annotations

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from shared.http.problems import PROBLEM_TYPES
from shared.suite import SERVICES, member


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    return {service: member(service).create_app().test_client().get("/openapi.json").json for service in SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_the_openapi_document_of_each_service_passes_openapi_spec_validator(documents, service):
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in OpenAPIV31SpecValidator(documents[service]).iter_errors()]
    assert errors == []


def test_an_optional_field_that_refuses_null_is_documented_without_a_null_default(documents):
    properties = documents["trips"]["components"]["schemas"]["TripUpdate"]["properties"]
    assert "default" not in properties["title"] and "null" not in str(properties["title"])


def documented_problems(document: dict) -> set[tuple[str, str, str]]:
    """(status, type URI, title) of every problem an operation documents."""
    schemas, found = document["components"]["schemas"], set()
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                reference = answer.get("content", {}).get("application/problem+json", {}).get("schema", {})
                schema = schemas[reference["$ref"].rsplit("/", 1)[-1]] if reference else {}
                for part in schema.get("allOf", []):
                    found |= {(status, option["properties"]["type"]["const"], option["properties"]["title"]["const"])
                              for option in part.get("anyOf", [])}
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_the_openapi_document_names_each_problem_type_by_its_registered_title_and_status(documents, service):
    documented = documented_problems(documents[service])
    registered = {(str(problem.status), problem.uri, problem.title) for problem in PROBLEM_TYPES.values()}
    assert documented and documented <= registered
    assert ("401", PROBLEM_TYPES["unauthorized"].uri, "Authentication required") in documented
