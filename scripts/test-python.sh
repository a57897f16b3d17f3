#!/usr/bin/env bash
# Installs the built wheel into a new virtualenv beside aws-cdk-lib from PyPI (the given version, our floor)
# and runs the Python tests against it.
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
.venv-wheel/bin/python -m pytest test/python -q -p no:cacheprovider
