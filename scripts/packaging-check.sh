#!/usr/bin/env bash
# Checks the package as it is published: build (ES module and CommonJS), pack, attw on the tarball,
# each entry point loaded in both formats with no peer installed, the Jest smoke projects of
# test/packaging/ (Nest 11 with ts-jest, Nest 12 with @swc/jest) with the tarball installed, and both
# builds loaded in one process (dual-copy-check.mjs). Each command is printed before it runs; any
# failure stops the check. Everything it installs lives in a temporary directory, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

WORK=$(mktemp -d "${TMPDIR:-/tmp}/api-errors-packaging.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run() {
  echo "+ $*"
  "$@"
}
NPM_INSTALL=(--no-audit --no-fund --prefer-offline --loglevel=error)

echo "-- build"
run npm run build --silent

echo "-- pack"
run npm pack --pack-destination "$WORK" --silent >/dev/null
TARBALL=$(ls "$WORK"/nestjs-api-errors-*.tgz)
echo "$TARBALL"

echo "-- attw"
run npx --no-install attw --pack "$TARBALL" --no-color

echo "-- nestjs-api-errors/client without any peer installed, from CommonJS and from an ES module"
mkdir "$WORK/client-only"
echo '{ "private": true }' >"$WORK/client-only/package.json"
(
  cd "$WORK/client-only"
  # Without --legacy-peer-deps npm would install the peers, and a Nest import would go unnoticed.
  run npm install --no-save --legacy-peer-deps "${NPM_INSTALL[@]}" "$TARBALL"
  test ! -e node_modules/@nestjs
  run node -e "const c = require('nestjs-api-errors/client'); if (typeof c.isApiErrorBody !== 'function') process.exit(1)"
  run node --input-type=module -e "const c = await import('nestjs-api-errors/client'); if (typeof c.isApiErrorBody !== 'function') process.exit(1)"
)

for project in nest11-ts-jest nest12-swc-jest; do
  echo "-- smoke project $project"
  # A copy, so that its node_modules stay out of the working tree.
  mkdir "$WORK/$project"
  (cd "$ROOT/test/packaging/$project" && tar --exclude=node_modules --exclude=dist -cf - .) | (cd "$WORK/$project" && tar -xf -)
  # The same spec in both projects (Nest 11 and CommonJS, Nest 12 and ES modules), written once.
  mkdir -p "$WORK/$project/src"
  cp "$ROOT/test/packaging/api-errors.spec.ts" "$WORK/$project/src/"
  (
    cd "$WORK/$project"
    run npm ci "${NPM_INSTALL[@]}"
    run npm install --no-save "${NPM_INSTALL[@]}" "$TARBALL"
    run npm run --silent typecheck
    run npm test --silent
  )
  echo "-- both builds in one process, with $project's Nest"
  run node test/packaging/dual-copy-check.mjs "$WORK/$project"
done

echo "-- packaging check passed"
