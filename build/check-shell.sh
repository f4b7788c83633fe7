#!/usr/bin/env bash
# Every shell script of the repository through shellcheck; a finding fails `tern test`.
# A script is a file git knows (tracked, or new and not ignored) whose name ends in .sh or whose
# first line runs sh or bash: the launcher and .ci/run have no suffix.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
command -v shellcheck >/dev/null || { echo "check-shell: shellcheck is missing (node-image/install-deps.sh installs it)" >&2; exit 1; }
scripts=()
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sh) scripts+=("$f") ;;
    *) if head -n1 "$f" | grep -qE '^#!.*[/ ](ba)?sh\b'; then scripts+=("$f"); fi ;;
  esac
done < <(git ls-files -z --cached --others --exclude-standard)
[ ${#scripts[@]} -gt 0 ] || { echo "check-shell: found no shell script under $root" >&2; exit 1; }
shellcheck "${scripts[@]}"
echo "check-shell: ${#scripts[@]} scripts, no finding"
