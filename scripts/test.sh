#!/usr/bin/env bash
# Set everything up (including headless Chromium for the browser test) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/install_browser.sh ]; then scripts/install_browser.sh || echo "warning: no browser installed; the browser test will be skipped"; fi
exec .venv/bin/python -m pytest -q "$@"
