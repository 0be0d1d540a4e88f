#!/usr/bin/env bash
# Refresh requirements.lock: resolve quotes and its test tools afresh in a throw-away venv (with
# the CPU torch build that scripts/setup.sh installs), and pin exactly what got installed.
# Run it after changing dependencies in pyproject.toml, then run scripts/test.sh and commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$VENV")"' EXIT
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q torch==2.13.0 \
  || "$VENV/bin/python" -m pip install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
"$VENV/bin/python" -m pip install -q '.[test,ray]'
{
  echo "# What the tests pass with: pinned versions of every package quotes and its test tools install."
  echo "# Used as a constraints file by scripts/setup.sh (pip install -c requirements.lock)."
  echo "# Refresh with scripts/lock.sh after changing dependencies in pyproject.toml."
  "$VENV/bin/python" -m pip freeze --all --exclude-editable | grep -v -i -E '^(quotes|pip|setuptools|wheel) ?(==|@)'
} > requirements.lock
echo "requirements.lock: $(grep -c '==' requirements.lock) pins"
