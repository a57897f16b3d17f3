#!/usr/bin/env bash
# Installs the built wheel into a new virtualenv beside aws-cdk-lib from PyPI (the given version, our floor),
# synthesizes the stack of scripts/polyglot/app.py with it and compares the template with TypeScript's (as test:java
# and test:go do), and runs the Python tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cdk_version=${1:?usage: test-python.sh AWS_CDK_LIB_VERSION}
shopt -s nullglob
wheels=(dist/python/*.whl)
if [ ${#wheels[@]} -ne 1 ]; then
  echo "scripts/test-python.sh: expected one wheel in dist/python, found ${#wheels[@]}; run 'npx projen package-all'" >&2
  exit 1
fi
rm -rf .venv-wheel
"${PYTHON:-python3}" -m venv .venv-wheel
.venv-wheel/bin/pip install --quiet --disable-pip-version-check "aws-cdk-lib==$cdk_version" "${wheels[0]}" \
  -r <(grep -E '^pytest==' requirements-dev.txt)
out=test/.tmp/polyglot
bash scripts/polyglot/typescript.sh
rm -rf "$out/python"
CDK_OUTDIR="$out/python" .venv-wheel/bin/python scripts/polyglot/app.py
node scripts/polyglot/compare.js Python "$out/typescript" "$out/python"
.venv-wheel/bin/python -m pytest test/python -q -p no:cacheprovider
