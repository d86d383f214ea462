#!/bin/sh
# Start JupyterLab on notebooks/, opened at 00-start-here. Without a display (a server, a
# container, CI) no browser is launched: JupyterLab prints the URL with its token instead.
set -eu
VENV="$1"
PORT="$2"
set -- --ServerApp.root_dir=notebooks --ServerApp.port="$PORT" \
  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
if [ "$(id -u)" = 0 ]; then set -- "$@" --allow-root; fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname -s)" != Darwin ]; then
  echo "No display found: open the URL printed below (it carries the access token)."
  set -- "$@" --no-browser
fi
exec "$VENV/bin/jupyter" lab "$@" 00-start-here.ipynb
