#!/usr/bin/env bash
# Builds the stand-ins for the images Capstan runs beside a cluster's nodes,
# which cannot be pulled on these machines:
#   registry  capstan.local/registry:<hash>  for registry:2 — Debian's
#             docker-registry (the same distribution registry), listening on
#             :5000 with its storage in the VOLUME /var/lib/registry, as registry:2;
#   lb        capstan.local/haproxy:<hash>   for haproxy:3.0 — Debian's haproxy
#             (2.6), started as the official image is: `haproxy -f
#             /usr/local/etc/haproxy/haproxy.cfg` (the file Capstan writes in).
# Usage: build-service-images.sh registry|lb   (prints the image reference)
# Idempotent: the tag is a hash of what goes in; a present image is reused.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'build-service-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
what="${1:-}"
case "$what" in
  registry) bin=/usr/bin/docker-registry; pkg=docker-registry; repo=capstan.local/registry ;;
  lb) bin=/usr/sbin/haproxy; pkg=haproxy; repo=capstan.local/haproxy ;;
  *) die "usage: $0 registry|lb" ;;
esac
[ -x "$bin" ] || die "missing $bin (apt-get install $pkg)"
[ -x /bin/busybox ] || die "missing /bin/busybox (apt-get install busybox-static)"
exec 9>"${TMPDIR:-/tmp}/capstan-service-image-$what.lock"
flock 9
docker info >/dev/null 2>&1 || die "Docker is not running: start it or set DOCKER_HOST"
tag="$(cat "$bin" /bin/busybox "$HERE/build-service-images.sh" | sha256sum | cut -c1-12)"
image="$repo:$tag"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,var/lib/registry,usr/local/etc/haproxy,run}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for a in sh ls cat; do ln -s busybox "$root/bin/$a"; done
mkdir -p "$root$(dirname "$bin")"
cp "$bin" "$root$bin"
for lib in $(ldd "$bin" 2>/dev/null | awk '/=>/ {print $3} $1 ~ /^\/.*[^:]$/ {print $1}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nhaproxy:x:99:99::/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nhaproxy:x:99:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
if [ "$what" = registry ]; then
  mkdir -p "$root/etc/docker/registry"
  printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n  delete:\n    enabled: true\nhttp:\n  addr: :5000\n' \
    >"$root/etc/docker/registry/config.yml"
  tar -C "$root" -c . | docker import \
    -c 'ENTRYPOINT ["/usr/bin/docker-registry"]' -c 'CMD ["serve", "/etc/docker/registry/config.yml"]' \
    -c 'VOLUME /var/lib/registry' -c 'EXPOSE 5000' -c 'LABEL capstan.test-image=registry' - "$image" >/dev/null
else
  tar -C "$root" -c . | docker import \
    -c 'CMD ["/usr/sbin/haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]' \
    -c 'LABEL capstan.test-image=haproxy' - "$image" >/dev/null
fi
log "built $image"
echo "$image"
