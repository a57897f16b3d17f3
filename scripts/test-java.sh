#!/usr/bin/env bash
# Builds test/java, the stack of scripts/polyglot/app.ts written in Java, with Maven against the jar in dist/java (a
# Maven repository that test/java/pom.xml names; not a published jar), runs it, and compares its template with
# TypeScript's. aws-cdk-lib and the Maven plugins come from Maven Central into the local repository (~/.m2), kept
# between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
poms=(dist/java/io/github/cdk-ssm-ops/cdk-ssm-ops/*/cdk-ssm-ops-*.pom)
if [ ${#poms[@]} -ne 1 ]; then
  echo "scripts/test-java.sh: expected one cdk-ssm-ops version in dist/java, found ${#poms[@]}; run 'npx projen package-all'" >&2
  exit 1
fi
command -v mvn >/dev/null && command -v javac >/dev/null || { echo "scripts/test-java.sh: a JDK and Maven are needed (apt-get install default-jdk-headless maven)" >&2; exit 1; }
version=$(basename "$(dirname "${poms[0]}")")
# Maven keeps a copy of every artifact it resolved, and never looks again for a release version it holds: drop the
# copy of the previous build, so that this run takes the jar just built.
rm -rf "${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}/io/github/cdk-ssm-ops/cdk-ssm-ops/$version"
out=test/.tmp/polyglot
bash scripts/polyglot/typescript.sh
rm -rf "$out/java"
CDK_OUTDIR="$PWD/$out/java" mvn --batch-mode --quiet -Dstyle.color=never -f test/java/pom.xml \
  ${MAVEN_LOCAL_REPOSITORY:+-Dmaven.repo.local="$MAVEN_LOCAL_REPOSITORY"} \
  -Dcdk-ssm-ops.version="$version" compile exec:java 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' # Maven 3.8 colours even with -B
node scripts/polyglot/compare.js Java "$out/typescript" "$out/java"
echo "test:java: test/java built, run and compared in ${SECONDS}s"
