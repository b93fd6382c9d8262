"""`make test`'s `--dist loadfile`, with each package whose services are package-scoped fixtures as one unit of
work (decision 0150): split over the two workers module by module, such a package started its five services (and
for the browser package the console and the OpenID provider too) again each time a worker came back to it from
another package's module."""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Packages whose conftest.py starts the services once for every module in them (scope="package"); their tests
# must not rely on being alone in the services (a browser test opens its own record, not the first one named so).
SHARED_SERVICE_PACKAGES = ("tests/security/", "tests/browser/")


class SharedServicePackages(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        module = super()._split_scope(nodeid)
        return next((package for package in SHARED_SERVICE_PACKAGES if module.startswith(package)), module)
