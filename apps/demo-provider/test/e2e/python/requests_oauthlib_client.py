#!/usr/bin/python3
"""Drives the demo provider with requests-oauthlib and oauthlib (Debian packages).

Reads a JSON job on stdin, runs it against the demo over real HTTP and prints one JSON
document with what it observed (status, headers, bodies) for every step. It asserts
nothing: the vitest suite that runs it does (apps/demo-provider/test/e2e).

Job: {"base": "http://127.0.0.1:PORT", "client": {"key", "secret", "callback",
"privateKeyPath"}, "user", "password", "flow": bool, "cells": [{"method", "placement"}]}
"""

import json
import sys
import traceback
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlparse

import requests
from oauthlib.oauth1 import (
    SIGNATURE_TYPE_AUTH_HEADER,
    SIGNATURE_TYPE_BODY,
    SIGNATURE_TYPE_QUERY,
)
from requests_oauthlib import OAuth1, OAuth1Session
from requests_oauthlib.oauth1_session import TokenRequestDenied

PLACEMENTS = {
    "AUTH_HEADER": SIGNATURE_TYPE_AUTH_HEADER,
    "QUERY": SIGNATURE_TYPE_QUERY,
    "BODY": SIGNATURE_TYPE_BODY,
}
ECHO_FORM = {"greeting": "hello world", "symbols": "a&b=c+d%e~", "unicode": "caf\u00e9 \u2615"}
TIMEOUT = 20
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The decision form of a page (hidden inputs, decision buttons; other forms such as
    sign-out are ignored) and the text of the element with id="verifier"."""

    def __init__(self, html):
        super().__init__()
        self.forms = []
        self._form = None
        self.verifier = None
        self._in_verifier = 0
        self._verifier_text = []
        self.feed(html)
        if self._verifier_text:
            self.verifier = "".join(self._verifier_text).strip()
        chosen = next((f for f in self.forms if f["decisions"]), None)
        if chosen is None:
            chosen = self.forms[0] if self.forms else {"hidden": {}, "decisions": []}
        self.hidden = chosen["hidden"]
        self.decisions = chosen["decisions"]

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if self._in_verifier:
            if tag not in VOID:
                self._in_verifier += 1
        elif a.get("id") == "verifier":
            self._in_verifier = 1
            if a.get("value"):
                self._verifier_text.append(a["value"])
            if tag in VOID:
                self._in_verifier = 0
        if tag == "form":
            self._form = {"hidden": {}, "decisions": []}
            self.forms.append(self._form)
        form = self._form if self._form is not None else {"hidden": {}, "decisions": []}
        if tag == "input" and a.get("type", "").lower() == "hidden" and "name" in a:
            form["hidden"][a["name"]] = a.get("value", "")
        is_submit = tag == "button" or (tag == "input" and a.get("type", "").lower() == "submit")
        if is_submit and a.get("name") == "decision":
            form["decisions"].append(a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._in_verifier and tag not in VOID:
            self._in_verifier -= 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if self._in_verifier:
            self._in_verifier -= 1

    def handle_data(self, data):
        if self._in_verifier:
            self._verifier_text.append(data)


def observe(response):
    """What a test needs to know about a response."""
    content_type = response.headers.get("Content-Type", "")
    body = response.text
    seen = {
        "method": response.request.method,
        "url": response.request.url,
        "status": response.status_code,
        "contentType": content_type,
        "location": response.headers.get("Location"),
        "wwwAuthenticate": response.headers.get("WWW-Authenticate"),
        "setCookie": response.raw.headers.getlist("Set-Cookie")
        if hasattr(response.raw, "headers") and hasattr(response.raw.headers, "getlist")
        else [],
        "body": body[:4000],
    }
    if "json" in content_type:
        try:
            seen["json"] = response.json()
        except ValueError:
            pass
    if "x-www-form-urlencoded" in content_type:
        seen["form"] = dict(parse_qsl(body, keep_blank_values=True))
    if "html" in content_type:
        page = Page(body)
        seen["page"] = {
            "hidden": page.hidden,
            "decisions": page.decisions,
            "verifier": page.verifier,
        }
    return seen


class Demo:
    def __init__(self, job):
        self.base = job["base"]
        self.client = job["client"]
        self.user = job["user"]
        self.password = job["password"]
        with open(self.client["privateKeyPath"], encoding="ascii") as f:
            self.rsa_key = f.read()
        # The resource owner's browser: cookies, never signed.
        self.browser = requests.Session()
        # The client's HTTP connection: signed, no cookies.
        self.api = requests.Session()

    def url(self, path):
        return self.base + path

    def auth(self, method="HMAC-SHA1", placement="AUTH_HEADER", **kwargs):
        if method.startswith("RSA-"):
            kwargs["rsa_key"] = self.rsa_key
        else:
            kwargs["client_secret"] = self.client["secret"]
        return OAuth1(
            self.client["key"],
            signature_method=method,
            signature_type=PLACEMENTS[placement],
            **kwargs,
        )

    def login(self, steps):
        """Logs the browser in the way a person does: bounced from the consent page."""
        session = OAuth1Session(
            self.client["key"],
            client_secret=self.client["secret"],
            callback_uri=self.client["callback"],
        )
        token = session.fetch_request_token(self.url("/oauth/request_token"), timeout=TIMEOUT)[
            "oauth_token"
        ]
        steps["authorizeLoggedOut"] = observe(
            self.browser.get(
                self.url("/oauth/authorize"),
                params={"oauth_token": token},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        )
        location = steps["authorizeLoggedOut"]["location"] or ""
        nxt = dict(parse_qsl(urlparse(location).query)).get("next", "/")
        steps["loginNext"] = nxt
        steps["loginWrongPassword"] = observe(
            self.browser.post(
                self.url("/login"),
                data={"username": self.user, "password": self.password + "x", "next": nxt},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        )
        self.browser.cookies.clear()
        steps["login"] = observe(
            self.browser.post(
                self.url("/login"),
                data={"username": self.user, "password": self.password, "next": nxt},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        )
        steps["cookies"] = sorted(self.browser.cookies.keys())

    def consent(self, steps, token, decision="approve", prefix=""):
        page = self.browser.get(
            self.url("/oauth/authorize"),
            params={"oauth_token": token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        steps[prefix + "consent"] = observe(page)
        form = Page(page.text).hidden if page.status_code == 200 else {"oauth_token": token}
        decided = self.browser.post(
            self.url("/oauth/authorize"),
            data={**form, "decision": decision},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        steps[prefix + "decision"] = observe(decided)
        return decided

    # --- tasks ---------------------------------------------------------------------------

    def flow(self):
        """The three-legged flow with OAuth1Session, then the three resources."""
        steps = {}
        self.login(steps)
        key, secret, callback = self.client["key"], self.client["secret"], self.client["callback"]
        session = OAuth1Session(key, client_secret=secret, callback_uri=callback)
        steps["requestToken"] = session.fetch_request_token(
            self.url("/oauth/request_token"), timeout=TIMEOUT
        )
        authorize_url = session.authorization_url(self.url("/oauth/authorize"))
        steps["authorizationUrl"] = authorize_url
        page = self.browser.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
        steps["consent"] = observe(page)
        form = Page(page.text).hidden
        token = form.get("oauth_token", "")
        for name, csrf in (("csrfMissing", None), ("csrfWrong", "x" + form.get("csrf_token", ""))):
            data = {"oauth_token": token, "decision": "approve"}
            if csrf is not None:
                data["csrf_token"] = csrf
            steps[name] = observe(
                self.browser.post(
                    self.url("/oauth/authorize"), data=data, allow_redirects=False, timeout=TIMEOUT
                )
            )
        decided = self.browser.post(
            self.url("/oauth/authorize"),
            data={**form, "decision": "approve"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        steps["decision"] = observe(decided)
        steps["authorizationResponse"] = session.parse_authorization_response(
            decided.headers.get("Location", "")
        )
        verifier = steps["authorizationResponse"].get("oauth_verifier")
        request_token = steps["requestToken"]
        steps["accessToken"] = session.fetch_access_token(
            self.url("/oauth/access_token"), timeout=TIMEOUT
        )
        steps["me"] = observe(session.get(self.url("/api/me"), timeout=TIMEOUT))
        steps["echo"] = observe(
            session.post(self.url("/api/echo"), data=ECHO_FORM, timeout=TIMEOUT)
        )
        two_legged = OAuth1Session(key, client_secret=secret)
        steps["ping"] = observe(two_legged.get(self.url("/api/ping"), timeout=TIMEOUT))
        # The verifier and the request token were used once: a second exchange fails.
        replay = OAuth1Session(
            key,
            client_secret=secret,
            resource_owner_key=request_token["oauth_token"],
            resource_owner_secret=request_token["oauth_token_secret"],
            verifier=verifier,
        )
        try:
            replay.fetch_access_token(self.url("/oauth/access_token"), timeout=TIMEOUT)
            steps["accessTokenReplay"] = {"status": 200}
        except TokenRequestDenied as denied:
            steps["accessTokenReplay"] = observe(denied.response)
        return steps

    def deny(self):
        """The resource owner says no: the redirect has error=access_denied, no verifier."""
        steps = {}
        key, secret = self.client["key"], self.client["secret"]
        session = OAuth1Session(key, client_secret=secret, callback_uri=self.client["callback"])
        token = session.fetch_request_token(self.url("/oauth/request_token"), timeout=TIMEOUT)
        self.consent(steps, token["oauth_token"], "deny")
        steps["accessToken"] = observe(
            self.api.post(
                self.url("/oauth/access_token"),
                auth=self.auth(
                    resource_owner_key=token["oauth_token"],
                    resource_owner_secret=token["oauth_token_secret"],
                    verifier="made-up-verifier",
                ),
                timeout=TIMEOUT,
            )
        )
        return steps

    def oob(self):
        """Callback `oob`: the verifier is shown on a page (id="verifier")."""
        steps = {}
        key, secret = self.client["key"], self.client["secret"]
        session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
        token = session.fetch_request_token(self.url("/oauth/request_token"), timeout=TIMEOUT)
        steps["requestToken"] = token
        decided = self.consent(steps, token["oauth_token"], "approve")
        verifier = Page(decided.text).verifier
        steps["verifier"] = verifier
        session = OAuth1Session(
            key,
            client_secret=secret,
            resource_owner_key=token["oauth_token"],
            resource_owner_secret=token["oauth_token_secret"],
            verifier=verifier,
        )
        steps["accessToken"] = session.fetch_access_token(
            self.url("/oauth/access_token"), timeout=TIMEOUT
        )
        steps["me"] = observe(session.get(self.url("/api/me"), timeout=TIMEOUT))
        return steps

    def cell(self, method, placement):
        """The whole flow and the resources, every request signed with one method and placement."""
        steps = {}
        body_only = placement == "BODY"
        steps["requestToken"] = observe(
            self.api.post(
                self.url("/oauth/request_token"),
                auth=self.auth(method, placement, callback_uri=self.client["callback"]),
                timeout=TIMEOUT,
            )
        )
        temporary = steps["requestToken"].get("form", {})
        decided = self.consent(steps, temporary.get("oauth_token", ""), "approve")
        location = decided.headers.get("Location", "")
        verifier = dict(parse_qsl(urlparse(location).query)).get("oauth_verifier", "")
        steps["accessToken"] = observe(
            self.api.post(
                self.url("/oauth/access_token"),
                auth=self.auth(
                    method,
                    placement,
                    resource_owner_key=temporary.get("oauth_token"),
                    resource_owner_secret=temporary.get("oauth_token_secret"),
                    verifier=verifier,
                ),
                timeout=TIMEOUT,
            )
        )
        access = steps["accessToken"].get("form", {})
        token = {
            "resource_owner_key": access.get("oauth_token"),
            "resource_owner_secret": access.get("oauth_token_secret"),
        }
        # Protocol parameters in the body need a form POST: the GET routes take the others.
        if not body_only:
            query = urlencode({"fields": "name email", "q": "caf\u00e9"})
            steps["me"] = observe(
                self.api.get(
                    self.url("/api/me?" + query),
                    auth=self.auth(method, placement, **token),
                    timeout=TIMEOUT,
                )
            )
            steps["ping"] = observe(
                self.api.get(
                    self.url("/api/ping"), auth=self.auth(method, placement), timeout=TIMEOUT
                )
            )
        steps["echo"] = observe(
            self.api.post(
                self.url("/api/echo"),
                data=ECHO_FORM,
                auth=self.auth(method, placement, **token),
                timeout=TIMEOUT,
            )
        )
        return steps


def run(task):
    try:
        return task()
    except Exception:  # noqa: BLE001 - reported to the test, which fails on it
        return {"error": traceback.format_exc()}


def main():
    job = json.load(sys.stdin)
    demo = Demo(job)
    out = {}
    if job.get("flow"):
        out["flow"] = run(demo.flow)
        out["deny"] = run(demo.deny)
        out["oob"] = run(demo.oob)
    else:
        # The cells need a logged-in browser too.
        out["login"] = run(lambda: demo.login({}) or {})
    out["cells"] = [
        {
            "method": c["method"],
            "placement": c["placement"],
            "steps": run(lambda c=c: demo.cell(c["method"], c["placement"])),
        }
        for c in job.get("cells", [])
    ]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
