"""example-app's mail over SMTP, against aiosmtpd on loopback (run by .ci/smtp.sh)."""

import email
import email.policy
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Keep:
    """Keeps every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def call(base, method, path, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Origin", base)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def main(app):
    work = tempfile.mkdtemp()
    keep = Keep()
    smtp_port = free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "server.log"), "w+")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite://{work}/db.sqlite",
        BIND="127.0.0.1",
        PORT=str(port),
        BASE_URL=base,
        SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
        MAIL_FROM="Blog <noreply@blog.example>",
        MAIL_RATE_LIMIT="100/min",
        MAIL_PER_ADDRESS_LIMIT="100/min",
        RUST_LOG="info",
    )
    server = subprocess.Popen([app, "serve"], env=env, stdout=log, stderr=log)
    try:
        for _ in range(150):
            try:
                if call(base, "GET", "/_actions/schema.json")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        status, _, body = call(
            base,
            "POST",
            "/api/auth/sign-up/email",
            {"name": "Ada", "email": "ada@example.com", "password": "old password"},
        )
        assert status == 200, (status, body)

        status, _, body = call(
            base, "POST", "/api/auth/request-password-reset",
            {"email": "ada@example.com", "redirectTo": "/reset"},
        )
        assert status == 200 and json.loads(body)["status"] is True, (status, body)
        for _ in range(300):
            if keep.messages:
                break
            time.sleep(0.1)
        assert keep.messages, "no message reached the SMTP server"
        envelope = keep.messages[0]
        assert envelope.rcpt_tos == ["ada@example.com"], envelope.rcpt_tos
        assert envelope.mail_from == "noreply@blog.example", envelope.mail_from
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert message["To"] == "ada@example.com", message["To"]
        assert message["Subject"] == "Reset your password", message["Subject"]
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        link = re.search(r"https?://\S+", text).group(0)
        assert link.startswith(f"{base}/api/auth/reset-password/"), link
        assert link.replace("&", "&amp;") in html, "the HTML body carries the same link"

        status, headers, _ = call(base, "GET", link[len(base):])
        location = headers.get("Location") or headers.get("location")
        assert status == 302 and location.startswith(f"{base}/reset?token="), (status, location)
        token = location.split("token=", 1)[1]
        status, _, body = call(
            base, "POST", "/api/auth/reset-password", {"newPassword": "new password", "token": token}
        )
        assert status == 200 and json.loads(body) == {"status": True}, (status, body)
        status, _, body = call(
            base, "POST", "/api/auth/sign-in/email",
            {"email": "ada@example.com", "password": "new password"},
        )
        assert status == 200, (status, body)
        print(f"smtp: delivered to {envelope.rcpt_tos[0]}, subject {message['Subject']!r}, the link reset the password")

        # The SMTP server goes away: the request still answers at once, nothing leaks.
        controller.stop()
        started = time.monotonic()
        status, _, body = call(
            base, "POST", "/api/auth/request-password-reset", {"email": "ada@example.com"}, timeout=5
        )
        elapsed = time.monotonic() - started
        assert status == 200, (status, body)
        assert json.loads(body)["status"] is True, body
        assert b"smtp" not in body.lower() and b"connect" not in body.lower(), body
        for _ in range(200):
            log.seek(0)
            if "mail not sent; retrying" in log.read():
                break
            time.sleep(0.1)
        else:
            log.seek(0)
            raise AssertionError("no retry logged:\n" + log.read())
        print(f"smtp: server down: answered 200 in {elapsed:.3f} s; the failure was logged and retried")
    finally:
        server.terminate()
        server.wait()
        try:
            controller.stop()
        except Exception:
            pass


if __name__ == "__main__":
    main(sys.argv[1])
