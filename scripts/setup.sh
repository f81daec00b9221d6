#!/usr/bin/env bash
# Install, idempotently, what a fresh Debian 12 machine lacks to run or test dokgen.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite and benchmarks need)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${DOKGEN_VENV:-$here/.venv}"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Carlito is the templates' font; Liberation Sans (fonts-liberation2) the seal's approvals
# block (DOKGEN_SEGL_SKRIFT); both draw every character a document may hold.
apt_pkgs=(libreoffice-writer-nogui python3-uno python3-venv python3-dev
          fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2
          poppler-utils qpdf)
if [ "$want_test" = 1 ]; then
  # Debian's chromium for the browser tests (Playwright never downloads a browser of its own);
  # npm for axe-core, the accessibility checker injected into the pages.
  apt_pkgs+=(libsaxonhe-java chromium)
  # PostgreSQL 15 for the database tests on PostgreSQL: they start a throwaway cluster of
  # their own with initdb/pg_ctl as the postgres user; the package's own cluster stays unused.
  apt_pkgs+=(postgresql)
  command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
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

# axe-core for the browser tests, pinned by the committed package-lock.json.
if [ "$want_test" = 1 ]; then
  lock="$here/package-lock.json"
  if [ ! -f "$here/node_modules/axe-core/axe.min.js" ] || [ "$lock" -nt "$here/node_modules/.package-lock.json" ]; then
    echo "setup: installing axe-core (npm ci)"
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
fi
