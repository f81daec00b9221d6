#!/usr/bin/env bash
# Install, idempotently, what a fresh Debian 12 machine lacks to run or test dokgen.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite and benchmarks need)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${DOKGEN_VENV:-$here/.venv}"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_pkgs=(libreoffice-writer-nogui python3-uno python3-venv python3-dev
          fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2
          poppler-utils qpdf)
if [ "$want_test" = 1 ]; then
  apt_pkgs+=(libsaxonhe-java)
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# python3-uno is importable only from Debian's own interpreter: build the venv from it.
if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating virtualenv $venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
stamp="$venv/.dokgen-installed"
extras="dev"
if [ ! -f "$stamp" ] || [ "$here/pyproject.toml" -nt "$stamp" ] || [ "$(cat "$stamp")" != "$extras" ]; then
  echo "setup: installing dokgen into $venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e "$here[$extras]"
  echo "$extras" > "$stamp"
fi
