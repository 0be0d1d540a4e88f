#!/usr/bin/env bash
# Set everything up, ingest the example articles into db/quotes.db, serve it on 127.0.0.1:8001.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/quotes ingest --db db/quotes.db examples/
exec .venv/bin/quotes serve --db db/quotes.db --port "${PORT:-8001}"
