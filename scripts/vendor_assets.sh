#!/usr/bin/env bash
# Vendors the dashboard's front-end assets from the npm registry into the package (run by hand
# when upgrading them; the files are committed, so nothing is fetched at install or run time).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/communique/web/static/vendor
tmp=$(mktemp -d)
( cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund \
    echarts@5.6.0 cytoscape@3.35.0 world-atlas@2.0.2 topojson-client@3.1.0 swagger-ui-dist@5.35.0 >/dev/null )
m=$tmp/node_modules
cp "$m/echarts/dist/echarts.min.js" "$dest/"
cp "$m/echarts/LICENSE" "$dest/echarts.LICENSE"
cp "$m/cytoscape/dist/cytoscape.min.js" "$dest/"
cp "$m/cytoscape/LICENSE" "$dest/cytoscape.LICENSE"
cp "$m/world-atlas/countries-110m.json" "$dest/"
cp "$m/world-atlas/LICENSE" "$dest/world-atlas.LICENSE"
cp "$m/topojson-client/dist/topojson-client.min.js" "$dest/"
cp "$m/topojson-client/LICENSE" "$dest/topojson-client.LICENSE"
cp "$m/swagger-ui-dist/swagger-ui-bundle.js" "$m/swagger-ui-dist/swagger-ui.css" "$dest/"
cp "$m/swagger-ui-dist/LICENSE" "$dest/swagger-ui.LICENSE"
rm -rf "$tmp"
# world-atlas names countries by ISO 3166-1 numeric code; the dashboard speaks ISO3
.venv/bin/python - "$dest/iso-numeric.json" <<'PY'
import json, sys
import pycountry
mapping = {c.numeric: c.alpha_3 for c in pycountry.countries}
mapping["-99"] = "XKX"
json.dump(mapping, open(sys.argv[1], "w"), sort_keys=True)
PY
echo "vendored into $dest"
