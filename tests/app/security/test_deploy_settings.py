"""Deploy settings follow TABLEE_SITE_URL; the proxy is trusted only when told; CSP; docs and licence."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def _production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TABLEE_", "DATABASE_URL", "EMAIL_URL"))}
    env.update(
        TABLEE_DEBUG="0",
        TABLEE_DATA_DIR=str(tmp_path),
        TABLEE_SECRET_KEY=secrets.token_urlsafe(50),
        TABLEE_SITE_URL="https://tablee.example.org",
        TABLEE_BEHIND_PROXY="1",
        DJANGO_SETTINGS_MODULE="tablee.settings",
    )
    env.update(extra)
    return env


def test_check_deploy_says_no_issues_with_production_settings_and_an_https_site(tmp_path):
    tablee = Path(sys.executable).with_name("tablee")
    result = subprocess.run([str(tablee), "manage", "check", "--deploy"], env=_production_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def _settings_in(tmp_path, **extra) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
        "getattr(s, k, None) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'CSRF_TRUSTED_ORIGINS', 'ALLOWED_HOSTS', 'SECURE_PROXY_SSL_HEADER']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_production_env(tmp_path, **extra),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_https_site_url_turns_on_secure_cookies_hsts_redirect_and_its_csrf_origin(tmp_path):
    found = _settings_in(tmp_path, TABLEE_HSTS_SECONDS="3600")
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"] and found["SECURE_SSL_REDIRECT"]
    assert found["SECURE_HSTS_SECONDS"] == 3600
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://tablee.example.org"]
    assert "tablee.example.org" in found["ALLOWED_HOSTS"]
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_plain_http_site_and_no_proxy_change_nothing(tmp_path):
    found = _settings_in(tmp_path, TABLEE_SITE_URL="http://127.0.0.1:8000", TABLEE_BEHIND_PROXY="0")
    assert not found["SESSION_COOKIE_SECURE"] and not found["SECURE_SSL_REDIRECT"]
    assert found["SECURE_HSTS_SECONDS"] == 0 and found["CSRF_TRUSTED_ORIGINS"] == []
    assert found["SECURE_PROXY_SSL_HEADER"] is None


@pytest.fixture
def behind_an_https_proxy(settings):
    settings.ALLOWED_HOSTS = ["tablee.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://tablee.example.org"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_sign_in_works_through_a_proxy_that_sends_host_and_forwarded_proto(behind_an_https_proxy, make_person):
    make_person(email="marie@example.org", password="motdepasse-tablee-123")
    browser = Client(enforce_csrf_checks=True)
    proxy = {"HTTP_HOST": "tablee.example.org", "HTTP_X_FORWARDED_PROTO": "https",
             "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    page = browser.get(reverse("login"), **proxy)
    assert page.status_code == 200
    assert "max-age=3600" in page["Strict-Transport-Security"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    signed_in = browser.post(reverse("login"), {"csrfmiddlewaretoken": token, "username": "marie@example.org",
                                                "password": "motdepasse-tablee-123"},
                             HTTP_REFERER="https://tablee.example.org/accounts/login/",
                             HTTP_ORIGIN="https://tablee.example.org", **proxy)
    assert signed_in.status_code == 302, signed_in.content.decode()[:500]
    assert signed_in.cookies["sessionid"]["secure"]


def test_plain_http_through_the_proxy_is_redirected_to_https_but_health_is_not(behind_an_https_proxy, db):
    client = Client()
    page = client.get(reverse("login"), HTTP_HOST="tablee.example.org", HTTP_X_FORWARDED_PROTO="http")
    assert page.status_code == 301 and page["Location"].startswith("https://tablee.example.org/")
    assert client.get("/api/health", HTTP_HOST="tablee.example.org").status_code in (200, 503)


def test_without_the_proxy_setting_forwarded_headers_are_not_trusted(client, settings, db):
    settings.BEHIND_PROXY = False
    seen = {}

    from tablee.middleware import ProxyClientAddressMiddleware

    def remember(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return None

    ProxyClientAddressMiddleware(remember)(
        type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}})()
    )
    assert seen["addr"] == "127.0.0.1"


def test_every_page_carries_a_csp_with_scripts_from_this_site_only(client, db):  # the sign-in page reads the associations
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_the_policy_kept_per_process_is_django_csps_own_and_follows_a_settings_change(client, settings, db):
    from csp.utils import build_policy

    settings.DEBUG = False  # production: the header is built once, not per response
    for path in (reverse("login"), "/api/health"):
        assert client.get(path)["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get(reverse("login"))["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_the_policy_is_built_once_for_many_responses_when_no_report_only_policy_is_set(client, settings, db,
                                                                                         monkeypatch):
    import tablee.middleware

    settings.DEBUG = False
    del settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    built = []
    real = tablee.middleware.build_policy
    monkeypatch.setattr(tablee.middleware, "build_policy", lambda **kw: built.append(kw) or real(**kw))
    for _ in range(3):
        assert "script-src 'self'" in client.get("/api/health")["Content-Security-Policy"]
    assert len(built) == 2  # the policy and the (empty) report-only policy, once each


def test_templates_have_no_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "src" / "tablee").rglob("*.html"):
        if "/email/" in str(path) or path.parent.name in {"outbox"}:
            continue  # emails are not served pages
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|javascript:",
                                 text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_the_api_docs_load_their_assets_from_this_site(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


# --- licence, locks, README --------------------------------------------------------------------------


def test_the_licence_is_the_agpl_text_and_pyproject_says_so():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("                    GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "17. Interpretation of Sections 15 and 16." in text
    assert text.rstrip().endswith("For more information on this, and how to apply and follow the GNU AGPL, see\n<http://www.gnu.org/licenses/>.")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "AGPL-3.0-or-later"' in pyproject
    assert "AGPL-3.0-or-later" in (ROOT / "README.md").read_text()


def test_the_runtime_lock_has_no_test_or_lint_tool():
    pins = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text().splitlines()
            if "==" in line and not line.startswith((" ", "#"))}
    assert pins and not pins & {"pytest", "playwright", "ruff", "hypothesis", "schemathesis", "mypy"}
    dev = (ROOT / "requirements-dev.lock").read_text()
    assert all(f"\n{name}==" in dev for name in ("pytest", "playwright", "ruff", "hypothesis"))


def test_every_tablee_variable_read_by_the_code_is_in_the_readme_table():
    read = set()
    for path in (ROOT / "src" / "tablee").rglob("*.py"):
        read |= set(re.findall(r"[\"'](TABLEE_[A-Z0-9_]+)[\"']", path.read_text()))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(TABLEE_[A-Z0-9_]+)`", readme, flags=re.MULTILINE))
    assert read, "no variable found: the scan is broken"
    assert sorted(read - documented) == []
