#!/bin/sh
# Serve notebooks/91-live-app.ipynb as a Voilà app on 127.0.0.1:PORT (code cells hidden, a live
# kernel behind the widgets). No browser is launched: open the printed URL yourself.
# A random token (or $JUPYTER_TOKEN) is required, so other local users cannot drive the app. It
# travels in the environment, never on a command line (ps shows arguments to every user):
# Voila.auto_token turns token checking on, and Jupyter Server's identity provider then takes
# the token from JUPYTER_TOKEN.
# The page loads nothing from outside this machine: the "certlib" template
# (scripts/jupyter/voila/templates/certlib, found through JUPYTER_PATH) is Voila's lab template
# without its Font Awesome CDN links (Voila's own bundle already carries Font Awesome).
set -eu
VENV="$1"
PORT="$2"
JUPYTER_TOKEN="${JUPYTER_TOKEN:-$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')}"
export JUPYTER_TOKEN
JUPYTER_PATH="$(cd "$(dirname "$0")" && pwd)/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_PATH
echo "When the server is up, open:"
echo "    http://127.0.0.1:$PORT/?token=$JUPYTER_TOKEN"
echo "(Stop the server with Ctrl+C.)"
exec "$VENV/bin/voila" notebooks/91-live-app.ipynb --no-browser --Voila.ip=127.0.0.1 \
  --port="$PORT" --Voila.port_retries=0 --Voila.auto_token=True \
  --VoilaConfiguration.template=certlib
