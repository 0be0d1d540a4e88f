#!/usr/bin/env bash
# Set everything up (including headless Chromium for the browser test) and run the test suite.
# In CI (CI=true) the built wheel is checked too: installed alone, it must extract, ingest and serve.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/install_browser.sh ]; then scripts/install_browser.sh || echo "warning: no browser installed; the browser test will be skipped"; fi
.venv/bin/python -m pytest -q "$@"
if [ "${CI:-}" = "true" ]; then scripts/check_wheel.sh; fi
