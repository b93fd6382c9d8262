"""A person at the console, as a browser without JavaScript: cookies, and the CSRF token of each form."""

from __future__ import annotations

import re

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Person:
    def __init__(self, base_url: str):
        self.client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=15)

    def csrf(self, path: str = "/sign-in") -> str:
        return CSRF.search(self.client.get(path).text).group(1)

    def sign_in(self, name: str, roles: list[str], department: str = "", next_page: str = "/") -> httpx.Response:
        token = self.csrf()
        return self.client.post("/sign-in/development", data={
            "csrf_token": token, "name": name, "roles": roles, "department": department, "next": next_page})

    def submit(self, page: str, action: str, fields: dict) -> httpx.Response:
        """Send a form found on `page`, with that page's CSRF token."""
        return self.client.post(action, data={"csrf_token": self.csrf(page), **fields})

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.client.get(path, **kwargs)
