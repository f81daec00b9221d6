#!/usr/bin/env bash
# Install what is missing (idempotently), then produce the demo documents and invoice.
# Until the web service lands this is the "run" command: it says where the output went.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh"
venv="${DOKGEN_VENV:-$here/.venv}"
exec "$venv/bin/dokgen" demo --ut "${1:-$here/ut/demo}"
