#!/usr/bin/env bash
# Installs the Debian packages Dwarfsmith's tests need, only when absent.
# Idempotent; fast (one dpkg-query) when everything is installed.
set -euo pipefail

packages=(
  clang-22 lld-22 llvm-22 lldb-22 python3-lldb-22 libclang-rt-22-dev-wasm32
  wasi-libc wabt binaryen csmith libcsmith-dev libc6-dev-i386 gcc-multilib
  time python3 gdb cvise
)

missing=()
# dpkg-query prints one status line per known package; unknown ones go to stderr.
status="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)"
for p in "${packages[@]}"; do
  if ! grep -qx "$p installed" <<<"$status"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-toolchain: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
