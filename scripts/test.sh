#!/usr/bin/env bash
# Install what the tests need (idempotently), then run lint, types, the import contracts
# (ARCHITECTURE.md) and the whole test suite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" --test
venv="${DOKGEN_VENV:-$here/.venv}"
cd "$here"
"$venv/bin/ruff" check dokgen ehf tests bench scripts
"$venv/bin/ruff" format --check dokgen ehf tests bench scripts
"$venv/bin/mypy"
"$venv/bin/lint-imports"
exec "$venv/bin/python" -m pytest "$@"
