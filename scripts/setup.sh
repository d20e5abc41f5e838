#!/usr/bin/env bash
# Installs what storytrace needs on a fresh Debian/Ubuntu machine: the system libraries through
# apt-get and a virtual environment (.venv, or $STORYTRACE_VENV) with the package and its extras.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-all}"
venv="${STORYTRACE_VENV:-.venv}"

packages=(g++ cmake ninja-build pkg-config libicu-dev libxxhash-dev libgtest-dev python3-venv python3-dev)
# The tests also lay the HTML views out in a real browser (headless Chromium).
[ "$extras" = test ] && packages+=(clang-format chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "== installing system packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating the virtual environment $venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
echo "== building and installing storytrace[$extras] into $venv"
"$venv/bin/python" -m pip install -q ".[$extras]"
