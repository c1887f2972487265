#!/usr/bin/env bash
# `swift format lint` with the repository's .swift-format (Tests/ has a relaxed one).
#
# Sources/ and Tests/ must be exactly as `swift format format -i -r Sources Tests` leaves them
# (every finding fails: layout, 120 columns, ordered imports, no force unwrap, no force try, no
# implicitly unwrapped optional, and a doc comment on every public declaration in Sources/).
# Snippets/ keep their own layout (the README quotes the quickstart with aligned comments), so
# only the safety rules, line length and import order are enforced there.
set -euo pipefail
cd "$(dirname "$0")/.."
snippetRules='NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals|LineLength|OrderedImports'
findings=$( (swift format lint -r Sources Tests 2>&1; swift format lint -r Snippets 2>&1 | grep -E "\[($snippetRules)\]") || true)
if [ -n "$findings" ]; then
    echo "$findings"
    echo "lint: $(echo "$findings" | wc -l) finding(s); \`swift format format -i -r Sources Tests\` fixes the layout ones" >&2
    exit 1
fi
echo "lint: no findings (Sources and Tests formatted; Snippets: $snippetRules)"
