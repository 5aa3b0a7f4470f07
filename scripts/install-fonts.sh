#!/usr/bin/env bash
# Installs the Debian fonts the synthetic-license renderer uses, when they are missing.
set -euo pipefail
fonts=(/usr/share/fonts/truetype/arphic/uming.ttc /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
       /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf)
missing=0
for f in "${fonts[@]}"; do [ -f "$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
packages=(fonts-arphic-uming fonts-wqy-zenhei fonts-dejavu-core)
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "fonts missing: install the Debian packages ${packages[*]} (as root: apt-get install ${packages[*]})" >&2
  exit 1
fi
echo "installing fonts: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
