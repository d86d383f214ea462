#!/bin/sh
# Serve notebooks/91-live-app.ipynb as a Voilà app on 127.0.0.1:PORT (code cells hidden, a live
# kernel behind the widgets). No browser is launched: open the printed URL yourself.
set -eu
VENV="$1"
PORT="$2"
echo "When the server is up, open:"
echo "    http://127.0.0.1:$PORT/"
echo "(Stop the server with Ctrl+C.)"
exec "$VENV/bin/voila" notebooks/91-live-app.ipynb --no-browser --Voila.ip=127.0.0.1 \
  --port="$PORT" --Voila.port_retries=0
