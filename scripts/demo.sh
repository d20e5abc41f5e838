#!/usr/bin/env bash
# Sets everything up, then traces the bundled sample corpus and prints what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh all
"${STORYTRACE_VENV:-.venv}/bin/storytrace" demo
