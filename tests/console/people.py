"""A person at the console, as a browser without JavaScript: cookies, and the CSRF token of each form."""

from __future__ import annotations

import re
from html import unescape

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


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

    def send(self, page: str, form_id: str, fields: dict, opened: str | None = None) -> httpx.Response:
        """Fill in the form `form_id` of `page` as a browser would: its hidden fields (CSRF token, version, what it
        showed) kept, `fields` typed, sent to its action. `opened`: the page as it was read earlier (a form left
        open while someone else changed the record)."""
        html = opened or self.client.get(page).text
        form = re.search(rf'<form method="post" id="{re.escape(form_id)}"[^>]*action="([^"]+)"(.*?)</form>', html, re.S)
        assert form, f"no form {form_id} on {page}"
        hidden = {name: unescape(value) for name, value in HIDDEN.findall(form.group(2))}
        return self.client.post(unescape(form.group(1)), data={**hidden, **fields})
