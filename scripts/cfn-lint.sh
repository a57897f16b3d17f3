#!/usr/bin/env bash
# cfn-lint on every template the example app and the integration test apps synthesize. Fails on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/python-env.sh)
shopt -s nullglob globstar
templates=(cdk.out/*.template.json test/**/*.snapshot/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "scripts/cfn-lint.sh: no templates found; run 'npm run example' first" >&2
  exit 1
fi
# Templates come before the options: --ignore-checks takes several values and would swallow paths after it.
# W3005 (redundant DependsOn) fires on all CDK output.
"$bin/cfn-lint" "${templates[@]}" --regions us-east-1 --ignore-checks W3005 --non-zero-exit-code error
echo "cfn-lint: ${#templates[@]} template(s), no errors"
