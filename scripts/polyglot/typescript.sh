#!/usr/bin/env bash
# Synthesizes scripts/polyglot/app.ts, the TypeScript side of test:java and test:go, into test/.tmp/polyglot/typescript,
# unless the template there is newer than lib/ (the compiled library), the app and aws-cdk-lib.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=test/.tmp/polyglot/typescript
template=$out/CdkSsmOpsPolyglot.template.json
if [ -f "$template" ] && [ -z "$(find lib scripts/polyglot/app.ts node_modules/aws-cdk-lib/package.json -newer "$template" -print -quit)" ]; then
  exit 0
fi
if [ ! -f lib/index.js ]; then
  echo "scripts/polyglot/typescript.sh: lib/ is missing; run 'npx projen compile'" >&2
  exit 1
fi
rm -rf "$out"
CDK_OUTDIR="$out" npx ts-node --project test/tsconfig.json scripts/polyglot/app.ts
# The other languages pin aws-cdk-lib to the floor; a newer one here changes the template (the Provider's runtime).
echo "scripts/polyglot/app.ts: synthesized with aws-cdk-lib $(node -p "require('aws-cdk-lib/package.json').version")"
