#!/usr/bin/env bash
# Compiles the Go module that `jsii-pacmak --target go --code-only` generated into dist/go, as jsii-pacmak's own Go
# build does (go mod tidy, then go build ./..., with a throw-away go.mod beside the module's), with one difference:
# the throw-away go.mod leaves out the module's indirect requirements. jsii-pacmak writes those from our npm lock file
# (cloud-assembly-schema 53.28.0 today), and the Go module proxy we reach refuses some of them (403 Forbidden); without
# them go mod tidy takes the versions that aws-cdk-go's own go.mod names, which it serves. dist/go's go.mod, the one
# published, is left as generated.
set -euo pipefail
cd "$(dirname "$0")/.."
module=dist/go/cdkssmops
if [ ! -f "$module/go.mod" ]; then
  echo "scripts/build-go.sh: $module/go.mod is missing; run 'jsii-pacmak --target go --code-only' first" >&2
  exit 1
fi
command -v go >/dev/null || { echo "scripts/build-go.sh: the Go toolchain is needed to compile the Go module (apt-get install golang-go)" >&2; exit 1; }
cd "$module"
trap 'rm -f local.go.mod local.go.sum' EXIT
grep -v '// indirect$' go.mod > local.go.mod
go mod tidy -modfile=local.go.mod
go build -buildvcs=false -modfile=local.go.mod ./...
echo "$module: compiled with $(go version | cut -d' ' -f3) against $(grep -Eo 'aws-cdk-go/awscdk/v2 v[0-9.]+' local.go.mod) in ${SECONDS}s"
