#!/bin/sh
# Start JupyterLab on notebooks/, opened at 00-start-here. Without a display (a server, a
# container, CI) no browser is launched: we print the notebook's URL with its token instead.
# The token travels in the environment (JUPYTER_TOKEN), never on a command line: other users
# can read every process's arguments (ps), but not its environment.
set -eu
VENV="$1"
PORT="$2"
JUPYTER_TOKEN="${JUPYTER_TOKEN:-$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')}"
export JUPYTER_TOKEN
set -- --ServerApp.root_dir=notebooks --ServerApp.port="$PORT" --ServerApp.port_retries=0 \
  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
if [ "$(id -u)" = 0 ]; then set -- "$@" --allow-root; fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname -s)" != Darwin ]; then
  set -- "$@" --no-browser
  echo "No display found. When the server is up, open:"
  echo "    http://127.0.0.1:$PORT/lab/tree/00-start-here.ipynb?token=$JUPYTER_TOKEN"
  echo "(Stop the server with Ctrl+C.)"
fi
exec "$VENV/bin/jupyter" lab "$@" notebooks/00-start-here.ipynb
