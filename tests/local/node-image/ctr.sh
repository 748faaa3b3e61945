#!/bin/sh
# Stand-in for the `ctr` that rancher/k3s bundles (containerd's CLI), only as far
# as Capstan's image import uses it:
#   ctr [-n NS] [-a ADDR] images import [flags] FILE   ctr [-n NS] images ls [-q]
# The stand-in's kubelet runs pods on the HOST Docker engine, which already has
# every image, so there is no containerd store to load into. What is checked
# instead: FILE is a complete `docker save` archive (manifest.json, config and
# every layer it names are present); its tags are then recorded as "imported"
# in this node, which `images ls` lists.
set -eu
STORE=/var/lib/rancher/k3s/agent/images/.imported
while [ $# -gt 0 ]; do
  case "$1" in
    -n|--namespace|-a|--address) shift 2 ;;
    -n=*|--namespace=*|-a=*|--address=*) shift ;;
    *) break ;;
  esac
done
case "${1:-}" in image|images|i) ;; *) echo "ctr (capstan stand-in): only 'images import|ls'" >&2; exit 1 ;; esac
sub="${2:-}"
shift 2 || { echo "ctr: missing command" >&2; exit 1; }
case "$sub" in
  import)
    f=""
    for a in "$@"; do case "$a" in -*) ;; *) f="$a" ;; esac; done
    [ -f "$f" ] || { echo "ctr: open $f: no such file or directory" >&2; exit 1; }
    manifest="$(tar -xOf "$f" manifest.json 2>/dev/null)" || { echo "ctr: $f has no manifest.json: not an image archive" >&2; exit 1; }
    entries="$(tar -tf "$f")"
    config="$(echo "$manifest" | sed -n 's/.*"Config":"\([^"]*\)".*/\1/p')"
    layers="$(echo "$manifest" | sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d '"')"
    [ -n "$config" ] || { echo "ctr: $f: manifest.json names no image config" >&2; exit 1; }
    for p in $config $layers; do
      echo "$entries" | grep -qx "$p" || { echo "ctr: $f is incomplete: $p is missing" >&2; exit 1; }
    done
    tags="$(echo "$manifest" | sed -n 's/.*"RepoTags":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d '"')"
    [ -n "$tags" ] || { echo "ctr: $f names no image" >&2; exit 1; }
    mkdir -p "$(dirname "$STORE")"
    for t in $tags; do
      grep -qx "$t" "$STORE" 2>/dev/null || echo "$t" >>"$STORE"
      echo "unpacking $t ...done"
    done
    ;;
  ls|list)
    [ -f "$STORE" ] && cat "$STORE"
    exit 0
    ;;
  *) echo "ctr (capstan stand-in): images $sub is not implemented" >&2; exit 1 ;;
esac
