#!/usr/bin/env bash
# Install what is missing (idempotently), then run the service on the embedded default:
# SQLite and files in ./instans, seeded with demo data (an organisation, one user per role,
# documents and invoices in every state). The demo users' passwords are printed at start.
# Usage: scripts/run.sh [--host 127.0.0.1] [--port 8080]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh"
venv="${DOKGEN_VENV:-$here/.venv}"
export DOKGEN_INSTANS="${DOKGEN_INSTANS:-$here/instans}"
exec "$venv/bin/dokgen" serve --demo "$@"
