#!/usr/bin/env bash
# Create .venv and install quotes with its test tools, at the versions in requirements.lock (what
# the tests last passed with; refresh it with scripts/lock.sh). Idempotent and quick when nothing
# changed. Uses the pip that comes with the machine's Python: the lock pins everything, so no
# resolver quirk of an older pip can pick a different set.
# CPU torch is installed first: `torch==2.13.0` (a CPU build on machines that carry it), else
# PyTorch's CPU wheel index; plain `pip install torch` would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=".venv/bin/python -m pip"
STAMP=.venv/.quotes-installed
WANT=$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  if ! .venv/bin/python -c "import torch" 2>/dev/null; then
    $PIP install -q torch==2.13.0 \
      || $PIP install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
  fi
  $PIP install -q -c requirements.lock -e '.[test,ray]'
  echo "$WANT" > "$STAMP"
fi
