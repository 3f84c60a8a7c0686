"""deploy/nginx/tablee.conf in front of `tablee serve`, with TLS on loopback: a sign-in goes through.

Debian's nginx is installed when missing and running as root (as scripts/test.sh does for chromium);
the certificate is self-signed (openssl). The app runs as in production: TABLEE_DEBUG=0, an https
site URL, TABLEE_BEHIND_PROXY=1.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from tablee_processes import free_port, serving, tablee, tablee_env

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "deploy" / "nginx" / "tablee.conf"
PASSWORD = "un-mot-de-passe-solide-2026"


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail("nginx is missing: sudo apt-get install nginx-light")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], env=env, capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], env=env, capture_output=True, check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _site_for_test(*, app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    replacements = {
        "upstream": f"server 127.0.0.1:{app_port};",
        "http": f"listen 127.0.0.1:{http_port};",
        "https": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server_name": "server_name 127.0.0.1;",
        "certificate": f"ssl_certificate {cert};",
        "key": f"ssl_certificate_key {key};",
    }
    lines = []
    for line in SITE.read_text().splitlines():
        marker = re.search(r"#\s*test:\s*(\w+)\s*$", line)
        if marker:
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + replacements[marker.group(1)]
        lines.append(line)
    return "\n".join(lines)


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"nginx did not start:\n{log.read_text() if log.exists() else ''}")
        time.sleep(0.1)


@pytest.mark.e2e
def test_sign_in_through_nginx_with_tls_in_front_of_tablee_serve(tmp_path):
    nginx = _nginx()
    https_port, http_port, app_port = free_port(), free_port(), free_port()
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)

    site_url = f"https://127.0.0.1:{https_port}"
    data = tmp_path / "data"
    data.mkdir()
    env = tablee_env(data, TABLEE_DEBUG="0", TABLEE_SECRET_KEY=secrets.token_urlsafe(50), TABLEE_SITE_URL=site_url,
                     TABLEE_BEHIND_PROXY="1", TABLEE_HSTS_SECONDS="60")
    tablee(env, "-v", "0", "migrate")
    tablee(env, "association", "create", "club", "Club")
    (data / "members.csv").write_text("email,first_name,last_name\nmarie@example.org,Marie,Tremblay\n")
    tablee(env, "members", "import", "club", str(data / "members.csv"))
    tablee(env, "manage", "shell", "-c",
           f"from tablee.members.models import User; u = User.objects.get(email='marie@example.org'); "
           f"u.set_password('{PASSWORD}'); u.save()")

    prefix = tmp_path / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True)
    (prefix / "tablee.conf").write_text(_site_for_test(app_port=app_port, http_port=http_port,
                                                       https_port=https_port, cert=cert, key=key))
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  access_log off;\n"
        f"  client_body_temp_path {prefix}/tmp/body;\n  proxy_temp_path {prefix}/tmp/proxy;\n"
        f"  fastcgi_temp_path {prefix}/tmp/fastcgi;\n  uwsgi_temp_path {prefix}/tmp/uwsgi;\n"
        f"  scgi_temp_path {prefix}/tmp/scgi;\n"
        f"  include {prefix}/tablee.conf;\n}}\n"
    )
    checked = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    with serving(env, port=app_port) as _app:
        proxy = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_port(https_port, proxy, prefix / "logs" / "error.log")
            trust = ssl.create_default_context(cafile=str(cert))
            with httpx.Client(base_url=site_url, verify=trust, timeout=30) as browser:
                page = browser.get("/accounts/login/")
                assert page.status_code == 200
                assert page.headers["strict-transport-security"].startswith("max-age=60")
                assert "script-src 'self'" in page.headers["content-security-policy"]
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                signed_in = browser.post("/accounts/login/", data={
                    "csrfmiddlewaretoken": token, "username": "marie@example.org", "password": PASSWORD,
                }, headers={"Referer": f"{site_url}/accounts/login/"})
                assert signed_in.status_code == 302, signed_in.text[:800]
                assert "secure" in signed_in.headers["set-cookie"].lower()
                mine = browser.get(signed_in.headers["location"])
                assert mine.status_code == 200 and "Se déconnecter" in mine.text
            with httpx.Client(timeout=10) as plain:
                moved = plain.get(f"http://127.0.0.1:{http_port}/accounts/login/")
            assert moved.status_code == 301 and moved.headers["location"].startswith("https://127.0.0.1")
        finally:
            proxy.terminate()
            proxy.wait(timeout=20)
    log = (data / f"serve-{app_port}.log").read_text()
    assert "POST /accounts/login/ 302" in log
