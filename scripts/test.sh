#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite: GoogleTest through ctest (a normal build, an
# AddressSanitizer/UndefinedBehaviorSanitizer build and a ThreadSanitizer build), and pytest
# against the installed package (the notebooks executed, the HTML views in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
venv="${STORYTRACE_VENV:-.venv}"
export PATH="$PWD/$venv/bin:$PATH"
jobs="$(nproc)"

echo "== style and types (ruff, clang-format, mypy)"
ruff check python tests/python benchmarks scripts
ruff format --check python tests/python benchmarks scripts
clang-format --dry-run --Werror cpp/include/storytrace/*.hpp cpp/src/*.cpp cpp/bindings/*.[ch]pp tests/cpp/*.[ch]pp
mypy

echo "== C++ tests (GoogleTest, ctest)"
cmake -S . -B build/tests -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTORYTRACE_TESTS=ON >/dev/null
cmake --build build/tests -j "$jobs"
ctest --test-dir build/tests --output-on-failure -j "$jobs"

if [ "${STORYTRACE_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== C++ tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTORYTRACE_TESTS=ON -DSTORYTRACE_SANITIZE=ON >/dev/null
  cmake --build build/sanitize -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build/sanitize --output-on-failure -j "$jobs"
  # Data races between the worker threads (every test that runs the core on 2 or more threads).
  echo "== C++ tests under ThreadSanitizer"
  cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTORYTRACE_TESTS=ON -DSTORYTRACE_TSAN=ON >/dev/null
  cmake --build build/tsan -j "$jobs"
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build/tsan --output-on-failure -j "$jobs"
fi

echo "== Python tests (pytest)"
# setup.sh installed Chromium: the browser tests must run, not skip.
export STORYTRACE_REQUIRE_BROWSER=1
python -m pytest tests/python -q -p no:cacheprovider "$@"
