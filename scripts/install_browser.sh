#!/usr/bin/env bash
# Install what tests/test_browser.py needs: Debian's chromium (the browser itself, because
# `playwright install` downloads a browser build and that is not possible here) and the
# playwright python package that drives it, into the project's .venv.
# Idempotent: does nothing when both are present.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install_browser.sh: chromium is missing; install it as root: apt-get install chromium chromium-driver" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
fi

if ! "$PYTHON" -c "import playwright" >/dev/null 2>&1; then
    "$PYTHON" -m pip install -q "playwright>=1.40"
fi
