#!/usr/bin/env bash
# Creates (or refreshes) .venv with the pinned Python tools of requirements-dev.txt and prints its bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "scripts/python-env.sh: $python not found; the test suite needs Python 3.9 or newer" >&2
  exit 1
fi
stamp=.venv/.requirements-dev.txt
if [ ! -x .venv/bin/python ] || ! cmp -s requirements-dev.txt "$stamp"; then
  rm -rf .venv
  "$python" -m venv .venv >&2
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt >&2
  cp requirements-dev.txt "$stamp"
fi
echo "$PWD/.venv/bin"
