#!/usr/bin/env bash
# Draws the package icon (128x128 PNG): three recurrent cells in a chain, each feeding its state to the next.
# Needs ImageMagick (apt-get install imagemagick). The PNG is committed; rerun only to change the design.
set -euo pipefail
IM="${IM:-$(command -v magick || echo /usr/bin/convert)}"
out="$(cd "$(dirname "$0")" && pwd)/icon.png"
"$IM" -size 128x128 xc:none \
  -fill '#1f4e8c' -draw 'roundrectangle 4,4 123,123 22,22' \
  -stroke '#9fd3ff' -strokewidth 5 -fill none \
  -draw 'line 34,64 50,64' -draw 'line 78,64 94,64' \
  -draw 'line 24,94 24,78' -draw 'line 64,94 64,78' -draw 'line 104,94 104,78' \
  -draw 'path "M 24,48 C 24,20 104,20 104,48"' \
  -stroke none -fill '#ffffff' \
  -draw 'circle 24,64 24,50' -draw 'circle 64,64 64,50' -draw 'circle 104,64 104,50' \
  -fill '#ffb347' \
  -draw 'rectangle 18,94 30,106' -draw 'rectangle 58,94 70,106' -draw 'rectangle 98,94 110,106' \
  -strip -define png:exclude-chunks=date,time "$out"
echo "wrote $out"
