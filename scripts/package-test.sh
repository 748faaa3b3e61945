#!/usr/bin/env bash
# The Linux packages, tested by installing them: builds the .deb and .rpm with
# Tauri's bundler (release), checks the .rpm's file list and dependencies,
# installs the .deb with apt, runs the INSTALLED app through its window
# (tests/e2e/tests/installed_package.rs: the test kubeconfig's contexts are
# listed, a cluster is added), installs the next version over it (a second
# .deb of the same binary with the version raised by a config override) and
# checks the added cluster is still there, then purges the package and checks
# that nothing of it is left.
#
# Needs the test cluster's environment (scripts/test.sh runs it after
# `tests/cluster/cluster.sh up`), root or sudo for apt, and the set-up of
# scripts/lib/setup.sh (rpm, Xvfb, tauri-driver, WebKitWebDriver).
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

PACKAGE=capstan
BIN=/usr/bin/capstan-app
DESKTOP=/usr/share/applications/Capstan.desktop
METAINFO=/usr/share/metainfo/dev.capstan.desktop.metainfo.xml
VERSION="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' src-tauri/tauri.conf.json)"
# The "next" version: the patch number plus one, only for this test's second
# package (the app's own version is not changed).
NEXT="$(python3 -c 'import sys; a=sys.argv[1].split("."); a[-1]=str(int(a[-1])+1); print(".".join(a))' "$VERSION")"
# CAPSTAN_PACKAGE_DEBUG=1 packages the debug build instead: a quick run of
# this script while working on it (CI always packages the release build).
PROFILE=release
DEBUG_FLAG=()
if [ "${CAPSTAN_PACKAGE_DEBUG:-}" = 1 ]; then PROFILE=debug; DEBUG_FLAG=(--debug); fi
BUNDLE="$CARGO_TARGET_DIR/$PROFILE/bundle"
TAURI=(npx --yes @tauri-apps/cli@2)

fail() { die "package test: $*"; }
installed_version() { dpkg-query -W -f='${Status} ${Version}' "$PACKAGE" 2>/dev/null | sed -n 's/^install ok installed //p'; }

# A package left by an earlier, interrupted run would hide what this one installs.
if dpkg-query -W "$PACKAGE" >/dev/null 2>&1; then
  log "removing a $PACKAGE package left from an earlier run"
  as_root apt-get purge -y -qq "$PACKAGE" >/dev/null
fi

log "building the .deb and .rpm $VERSION ($PROFILE)"
start=$SECONDS
"${TAURI[@]}" build --ci "${DEBUG_FLAG[@]}" --bundles deb,rpm -- --features custom-protocol
log "$PROFILE build and bundling took $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
DEB="$BUNDLE/deb/Capstan_${VERSION}_amd64.deb"
RPM="$BUNDLE/rpm/Capstan-${VERSION}-1.x86_64.rpm"
[ -f "$DEB" ] || fail "no $DEB"
[ -f "$RPM" ] || fail "no $RPM"

log "checking the .rpm's files and dependencies"
rpm_files="$(rpm -qlp "$RPM" 2>/dev/null)"
for f in "$BIN" "$DESKTOP" "$METAINFO" \
  /usr/share/icons/hicolor/32x32/apps/capstan-app.png \
  /usr/share/icons/hicolor/128x128/apps/capstan-app.png \
  /usr/share/icons/hicolor/512x512/apps/capstan-app.png; do
  grep -qxF "$f" <<<"$rpm_files" || fail "$RPM lacks $f; it has: $rpm_files"
done
rpm_requires="$(rpm -qp --requires "$RPM" 2>/dev/null)"
# Tauri requires WebKitGTK and GTK by soname; `depends` adds the rest.
for r in libwebkit2gtk-4.1.so.0 libgtk-3.so.0 dbus-libs libsoup3 javascriptcoregtk4.1; do
  grep -q "^$r" <<<"$rpm_requires" || fail "$RPM does not require $r; it requires: $rpm_requires"
done
deb_depends="$(dpkg-deb -f "$DEB" Depends)"
for d in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3 libsoup-3.0-0; do
  grep -q "$d" <<<"$deb_depends" || fail "$DEB does not depend on $d: $deb_depends"
done
appstreamcli validate --no-net installers/linux/dev.capstan.desktop.metainfo.xml
# The app's config dir, kept across the upgrade as a user's is; first it
# holds the packaged desktop entry for its check.
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
dpkg-deb --fsys-tarfile "$DEB" | tar -xO "${DESKTOP#/}" >"$STATE/Capstan.desktop"
desktop-file-validate "$STATE/Capstan.desktop"
rm "$STATE/Capstan.desktop"

log "installing $DEB with apt"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >/dev/null
[ "$(installed_version)" = "$VERSION" ] || fail "apt did not install $PACKAGE $VERSION"
for f in "$BIN" "$DESKTOP" "$METAINFO"; do [ -e "$f" ] || fail "$f is not installed"; done
dpkg -L "$PACKAGE" >"$CARGO_TARGET_DIR/package-files.txt"

export CAPSTAN_E2E_INSTALLED_APP="$BIN" CAPSTAN_E2E_STATE="$STATE"
e2e() { cargo test --quiet -p capstan-e2e --test installed_package -- --ignored --exact "$1"; }

log "the installed app lists the test contexts and adds a cluster"
e2e installed_package_lists_contexts_then_adds_a_cluster

log "building $NEXT from the same binary and installing it over $VERSION"
"${TAURI[@]}" bundle --ci "${DEBUG_FLAG[@]}" --bundles deb --config "{\"version\":\"$NEXT\"}" --features custom-protocol
DEB_NEXT="$BUNDLE/deb/Capstan_${NEXT}_amd64.deb"
[ -f "$DEB_NEXT" ] || fail "no $DEB_NEXT"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB_NEXT" >/dev/null
[ "$(installed_version)" = "$NEXT" ] || fail "apt did not upgrade $PACKAGE to $NEXT"

log "after the upgrade the added cluster is still there"
e2e installed_package_keeps_the_added_cluster_after_an_upgrade

log "purging the package: nothing of it may be left"
dpkg -L "$PACKAGE" >>"$CARGO_TARGET_DIR/package-files.txt"
as_root apt-get purge -y -qq "$PACKAGE" >/dev/null
dpkg-query -W "$PACKAGE" >/dev/null 2>&1 && fail "$PACKAGE is still known to dpkg after purge"
left=()
while read -r f; do
  # Directories such as /usr/share/icons are shared with other packages.
  if [ -e "$f" ] && [ ! -d "$f" ]; then left+=("$f"); fi
done < <(sort -u "$CARGO_TARGET_DIR/package-files.txt")
[ ${#left[@]} -eq 0 ] || fail "left after purge: ${left[*]}"
for f in "$BIN" "$DESKTOP" "$METAINFO" /usr/share/doc/$PACKAGE; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done
log "packages: built, installed, launched, upgraded and purged"
