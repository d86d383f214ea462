#!/bin/sh
# Build the offline slide deck: execute notebooks/90-slides.ipynb and render it with reveal.js into
# OUT (default build/slides/). Every script and style sheet the HTML loads is copied into
# OUT/vendor/ from node_modules/ (npm ci from package-lock.json), so the folder can be zipped and
# opened from a USB stick with no network.
set -eu
VENV="$1"
OUT="${2:-build/slides}"
STAMP=node_modules/.certlib-npm-ci
if [ ! -f "$STAMP" ] || [ package-lock.json -nt "$STAMP" ] || [ package.json -nt "$STAMP" ]; then
  command -v npm >/dev/null 2>&1 || {
    echo "npm not found: install Node.js and npm (e.g. 'apt-get install nodejs npm')" >&2
    exit 1
  }
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$STAMP"
fi
rm -rf "$OUT"
V="$OUT/vendor"
mkdir -p "$V/reveal.js/dist/theme/fonts" "$V/reveal.js/plugin" "$V/html-manager"
cp node_modules/requirejs/require.js node_modules/jquery/dist/jquery.min.js "$V/"
cp node_modules/reveal.js/dist/reveal.css node_modules/reveal.js/dist/reveal.js "$V/reveal.js/dist/"
# the white theme: its only @import is its own font, shipped beside it (no Google Fonts)
cp node_modules/reveal.js/dist/theme/white.css "$V/reveal.js/dist/theme/"
cp -R node_modules/reveal.js/dist/theme/fonts/source-sans-pro "$V/reveal.js/dist/theme/fonts/"
cp -R node_modules/reveal.js/plugin/notes "$V/reveal.js/plugin/"
for f in node_modules/@jupyter-widgets/html-manager/dist/*; do
  case "$f" in *.map | */embed.js) ;; *) cp "$f" "$V/html-manager/" ;; esac
done
for license in jquery/LICENSE.txt reveal.js/LICENSE @fortawesome/fontawesome-free/LICENSE.txt; do
  if [ -f "node_modules/$license" ]; then
    cp "node_modules/$license" "$V/LICENSE.$(dirname "$license" | tr / _)"
  fi
done
exec "$VENV/bin/jupyter" nbconvert notebooks/90-slides.ipynb \
  --to slides --execute --no-input --output-dir "$OUT" \
  --template-file scripts/slides/offline.html.j2 \
  --SlidesExporter.reveal_url_prefix=vendor/reveal.js \
  --SlidesExporter.reveal_theme=white \
  --SlidesExporter.reveal_scroll=True \
  --SlidesExporter.reveal_width=1280 \
  --SlidesExporter.reveal_height=720 \
  --SlidesExporter.require_js_url=vendor/require.js \
  --SlidesExporter.jquery_url=vendor/jquery.min.js \
  --SlidesExporter.widget_renderer_url=vendor/html-manager/embed-amd.js
