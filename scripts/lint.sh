#!/usr/bin/env bash
# `swift format lint` with the repository's .swift-format (Tests/ has a relaxed one), failing on
# the rules this project holds itself to: no force unwrap, no force try, no implicitly unwrapped
# optional and a doc comment on every public declaration in Sources/; lines of at most 160
# columns, and ordered imports, everywhere. The pretty printer's layout suggestions are not
# enforced (the code keeps its own line breaks).
set -euo pipefail
cd "$(dirname "$0")/.."
enforced='NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals|AllPublicDeclarationsHaveDocumentation|LineLength|OrderedImports'
findings=$(swift format lint -r Sources Tests Snippets 2>&1 | grep -E "\[($enforced)\]" || true)
if [ -n "$findings" ]; then
    echo "$findings"
    echo "lint: $(echo "$findings" | wc -l) finding(s) (scripts/lint.sh lists the rules)" >&2
    exit 1
fi
echo "lint: no findings ($enforced)"
