"""What a service's processes load and build as they start (decisions 0195 and 0220). Each check runs in a fresh
interpreter, as gunicorn and `chancery worker` start one: what a process has loaded, and what its schemas kept,
depend on the order of its imports, which a test process that imported everything before cannot show."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from shared.suite import SERVICES

ROOT = Path(__file__).resolve().parents[2]
# Only the console calls out with httpx (and, where installed, the rich and pygments its command line imports);
# only a calendar client's feed request uses iCalendar.
NOT_AT_START = ("httpx", "rich", "icalendar")

WEB = """
import json, sys
from pydantic import BaseModel

built = []
schema_of = BaseModel.model_json_schema.__func__
BaseModel.model_json_schema = classmethod(lambda cls, *args, **kwargs: built.append(cls.__name__)
                                          or schema_of(cls, *args, **kwargs))
from shared.suite import member

client = member(sys.argv[1]).create_app().test_client()
built_at_start, loaded = list(built), [name for name in sys.argv[2:] if name in sys.modules]
schemas = client.get("/openapi.json").json["components"]["schemas"]
print(json.dumps({"built_at_start": built_at_start, "loaded": loaded, "schemas": len(schemas),
                  "examples": [name for name, schema in schemas.items() if schema.get("examples")],
                  "feed_examples": schemas["CalendarLinkRequest"]["properties"]["feed"].get("examples")}))
"""

WORKER = """
import json, sys
import shared.worker
from shared.suite import spec_of

spec_of(sys.argv[1])
print(json.dumps([name for name in sys.argv[2:] if name in sys.modules]))
"""


@cache
def fresh(program: str, service: str, *modules: str):
    done = subprocess.run([sys.executable, "-c", program, service, *modules], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("service", SERVICES)
def test_a_web_worker_builds_no_json_schema_until_the_openapi_document_is_asked_for(service):
    web = fresh(WEB, service, *NOT_AT_START)
    assert web["built_at_start"] == []
    assert web["schemas"] > 10


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_a_fresh_web_worker_serves_keeps_the_examples_its_schemas_declare(service):
    web = fresh(WEB, service, *NOT_AT_START)
    assert len(web["examples"]) >= 10  # the service's own request and answer models
    assert web["feed_examples"]  # the calendar links' blueprint, which every service shares


@pytest.mark.parametrize("service", SERVICES)
def test_a_web_worker_starts_without_httpx_or_icalendar(service):
    assert fresh(WEB, service, *NOT_AT_START)["loaded"] == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_services_worker_loads_neither_httpx_icalendar_nor_the_flask_instrumentation(service):
    assert fresh(WORKER, service, *NOT_AT_START, "opentelemetry.instrumentation.flask", "flask_openapi3") == []


SUPERVISOR = """
import json, sys
before = set(sys.modules)
import shared.supervisor

print(json.dumps(sorted({name.split(".")[0] for name in set(sys.modules) - before}
                        - set(sys.stdlib_module_names) - {"shared"})))
"""


def test_the_supervisor_chancery_run_becomes_imports_only_the_standard_library():
    assert fresh(SUPERVISOR, "") == []
