#!/usr/bin/env bash
# The unit tests of every module but the lab's, run as an unprivileged system user, so that a test
# cannot pass only because it runs as root. A unit test that truly needs root says so with
# @Tag("root") and runs in the root stage, beside the end-to-end tests.
# Root's Maven repository is private to root, so the user gets its own: a copy made of hard links
# (no space, no download), read offline. It gets its own copy of the sources too, without the build's
# output, and builds them itself. Run as root, after a root build has filled root's repository.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
user=tern-unit
home=/var/lib/$user
repo=${TERN_MAVEN_REPO:-$HOME/.m2/repository}
log() { printf 'tern-unit: %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "must run as root (makes a user and copies for it)"; exit 1; }
[ -d "$repo" ] || { log "no Maven repository at $repo: build as root first (mvn -DskipTests package)"; exit 1; }
if ! id -u "$user" >/dev/null 2>&1; then
  log "adding the system user $user"
  useradd --system --user-group --home-dir "$home" --shell /usr/sbin/nologin "$user"
fi
install -d -o "$user" -g "$user" -m 700 "$home"

rm -rf "$home/m2" "$home/src"
# hard links share root's files (read-only to the user); the directories are the user's own, so that
# Maven may add its bookkeeping files without touching root's repository
cp -al "$repo" "$home/m2" 2>/dev/null || cp -a "$repo" "$home/m2"
find "$home/m2" -type d -exec chown "$user:$user" {} +
find "$home/m2" -type d -exec chmod 755 {} +
mkdir "$home/src"
tar -C "$root" --exclude=./.git --exclude=target -cf - . | tar -C "$home/src" -xf -
chown -R "$user:$user" "$home/src"

cd "$home/src"
exec runuser -u "$user" -- env HOME="$home" mvn -B -ntp -o -Dmaven.repo.local="$home/m2" \
  test -pl '!tests' -Dtern.unit.excludedGroups=root "$@"
