# Shared set-up steps for scripts/run.sh and scripts/test.sh. Each step checks
# first and installs only what is missing, so running it again is cheap.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/capstan-target}"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# ensure_apt PKG... installs the Debian/Ubuntu packages that are not installed yet.
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# What building and running the desktop app needs.
APP_PACKAGES=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  libssl-dev pkg-config build-essential curl file)
# What the tests add: a display server, the WebDriver for WebKitGTK, a screen
# grabber for e2e screenshots, a Docker engine, a session bus and keyring daemon
# for the Secret Service test, an image registry for the pull test (run by
# the test itself on 127.0.0.1; the package's own service is not used), and
# zstd for the k3s stand-in node image and the local airgap test (the stand-in's
# containerd, runc and CNI plugins come with tests/cluster/cluster.sh deps), and
# xdotool, which drives the native GTK file dialog WebDriver cannot reach (the
# pod copy e2e test). docker-registry and haproxy also make the stand-ins for
# registry:2 and the HA load balancer (tests/local/build-service-images.sh);
# prometheus (Debian's) for the metrics history test; rpm, appstream and
# desktop-file-utils check the packages scripts/package-test.sh builds.
TEST_PACKAGES=(xvfb webkit2gtk-driver imagemagick docker.io dbus gnome-keyring docker-registry zstd xdotool
  haproxy prometheus rpm appstream desktop-file-utils)

ensure_toolchains() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"
  if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    ensure_apt nodejs npm
    [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
      die "Node.js 20 or newer is needed for the UI build (found $(node --version))"
  fi
}

# npm packages of the UI, reinstalled only when the lock file changed.
ensure_ui_modules() {
  local stamp="$ROOT/ui/node_modules/.capstan-lock-sha"
  local want
  want="$(sha256sum "$ROOT/ui/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing UI packages (npm ci)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  log "installing tauri-driver"
  cargo install tauri-driver --locked --quiet
}

# Starts Debian's dockerd when no engine answers (DOCKER_HOST or the default socket).
ensure_docker() {
  docker info >/dev/null 2>&1 && return 0
  command -v dockerd >/dev/null || die "dockerd is missing (apt-get install docker.io)"
  log "starting the Docker engine"
  as_root sh -c 'nohup dockerd >/var/log/capstan-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "the Docker engine did not start; see /var/log/capstan-dockerd.log"
}

build_ui() {
  log "building the UI"
  (cd "$ROOT/ui" && npm run --silent build)
}

# The app with the UI embedded (custom-protocol), in the shared target dir.
build_app() {
  log "building the app"
  cargo build --quiet -p capstan --features capstan/custom-protocol
}
