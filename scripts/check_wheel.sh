#!/usr/bin/env bash
# Build the wheel and prove it works alone: install it (at the locked versions) into a new venv
# in a temporary folder with no checkout around, then extract, ingest and serve an example
# article and read the quotes back through the JSON API. CI runs this after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "check_wheel: building the wheel"
"$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" .
WHEEL=$(ls "$WORK"/dist/quotes-*.whl)
"$PYTHON" - "$WHEEL" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = ["quotes/metadata.yml", "quotes/plugins/quotes_display.py", "quotes/stanza_models/manifest.json"]
missing = [name for name in needed if name not in names]
sys.exit(f"check_wheel: missing from the wheel: {', '.join(missing)}" if missing else 0)
PY

echo "check_wheel: installing $(basename "$WHEEL") into a new venv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q torch==2.13.0 \
  || "$WORK/venv/bin/python" -m pip install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
"$WORK/venv/bin/python" -m pip install -q -c requirements.lock "$WHEEL"
cp examples/003_cd5996b88a391c0c.txt "$WORK/"

cd "$WORK"  # no checkout around: everything must come from the installed wheel
QUOTES=$WORK/venv/bin/quotes
"$QUOTES" extract 003_cd5996b88a391c0c.txt > extracted.jsonl
echo "check_wheel: extract gave $(wc -l < extracted.jsonl) quotes"
[ -s extracted.jsonl ] || { echo "check_wheel: extract found no quotes" >&2; exit 1; }
"$QUOTES" ingest --db quotes.db 003_cd5996b88a391c0c.txt
# Ray is an optional extra, not installed here: --ray must say how to get it, in one line.
if RAY_LINE=$("$QUOTES" ingest --ray --db ray.db 003_cd5996b88a391c0c.txt 2>&1); then
  echo "check_wheel: ingest --ray worked without Ray installed" >&2; exit 1
fi
[ "$RAY_LINE" = "Error: --ray needs Ray, which is not installed: pip install 'quotes[ray]'" ] \
  || { echo "check_wheel: ingest --ray without Ray said: $RAY_LINE" >&2; exit 1; }
echo "check_wheel: ingest --ray without Ray: $RAY_LINE"
PORT=$("$WORK/venv/bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$QUOTES" serve --db quotes.db --port "$PORT" > serve.log 2>&1 &
SERVER=$!
for _ in $(seq 60); do
  if "$WORK/venv/bin/python" - "$PORT" <<'PY' 2>/dev/null
import json, sys, urllib.request
rows = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/quotes/quotes_view.json?_shape=array"))
assert rows and all("speaker" in row for row in rows), rows
print(f"check_wheel: serve answered /quotes/quotes_view.json with {len(rows)} quotes")
PY
  then exit 0; fi
  sleep 1
done
echo "check_wheel: quotes serve did not answer /quotes/quotes_view.json" >&2
cat serve.log >&2
exit 1
