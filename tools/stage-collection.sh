#!/usr/bin/env bash
# ansible-test insists that its working directory physically lies under
# .../ansible_collections/<namespace>/<name>/, and a symlink does not count (it resolves the real path).
# Copy the files git tracks or would track (so uncommitted work is tested too) into such a tree.
# Usage: tools/stage-collection.sh DESTINATION
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$1
mkdir -p "$dest"
# Keep ansible-test's own output between runs; replace everything else.
find "$dest" -mindepth 1 -maxdepth 1 ! -name tests ! -name .git -exec rm -rf {} +
if [ -d "$dest/tests" ]; then
  find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
fi
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' path; do
    [ -e "$path" ] && printf '%s\0' "$path"
  done |
  tar --null --files-from=- -cf - | tar -xf - -C "$dest"
# ansible-test lists files through git: the copy sits in an ignored folder of this checkout, so it
# gets a repository of its own (untracked files count, nothing is committed).
[ -d "$dest/.git" ] || git -C "$dest" init -q
printf '/tests/output/\n' >"$dest/.git/info/exclude"
