#!/usr/bin/env bash
# Builds test/go, the stack of scripts/polyglot/app.ts written in Go, against the Go module in dist/go (not a
# published one: test/go/go.mod replaces it with that folder), runs it, and compares its template with TypeScript's.
# Downloads come from the Go module proxy into Go's module cache (go env GOMODCACHE), compiled packages go to its build
# cache (go env GOCACHE): both are kept between runs, so only a fresh machine compiles aws-cdk-go (about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/go/cdkssmops/go.mod ]; then
  echo "scripts/test-go.sh: dist/go/cdkssmops is missing; run 'npx projen package-all'" >&2
  exit 1
fi
command -v go >/dev/null || { echo "scripts/test-go.sh: the Go toolchain is needed (apt-get install golang-go)" >&2; exit 1; }
out=test/.tmp/polyglot
bash scripts/polyglot/typescript.sh
rm -rf "$out/go"
(cd test/go && go build -buildvcs=false -o ../.tmp/polyglot/go-app .)
status=0
CDK_OUTDIR="$out/go" "$out/go-app" 2>"$out/go-app.stderr" || status=$?
# The jsii runtime sometimes ends a line of its own ("Runtime process exited abnormally: waitid: no child processes",
# as it closes) without a newline: print its standard error line by line.
awk 1 "$out/go-app.stderr" >&2
[ "$status" -eq 0 ] || exit "$status"
node scripts/polyglot/compare.js Go "$out/typescript" "$out/go"
echo "test:go: test/go built, run and compared in ${SECONDS}s"
