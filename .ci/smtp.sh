#!/usr/bin/env bash
# SMTP delivery, for real: example-app sends its password-reset mail over SMTP (lettre) to an
# aiosmtpd server on loopback, started by the check; the mail must arrive with the right
# recipient, subject and a link that works. Then the server is stopped, and a request that
# mails must still answer at once while the mailer retries and logs (.ci/smtp_check.py).
# Runs alone (`bash .ci/smtp.sh`) or from `.ci/run`; aiosmtpd is pinned and installed once
# into a venv under ~/.cache (set SMTP_VENV to use another).
set -euo pipefail
cd "$(dirname "$0")/.."

pyversion=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv="${SMTP_VENV:-$HOME/.cache/server-actions/smtp-py$pyversion-$(sha256sum .ci/smtp-requirements.txt | cut -c1-12)}"
if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --no-deps -r .ci/smtp-requirements.txt
fi

cargo build -p example-app --locked
"$venv/bin/python" .ci/smtp_check.py target/debug/example-app
