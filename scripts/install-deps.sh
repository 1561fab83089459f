#!/usr/bin/env bash
# Installs the Debian 12 packages Packline needs to build and test.
# Idempotent, and quiet when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libsqlite3-dev sqlite3 nlohmann-json3-dev libtomlplusplus-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format libclang-rt-14-dev libfuzzer-14-dev
  libusb-1.0-0-dev libevdev-dev libcups2-dev cups-daemon cups-client
  libzxing-dev libopencv-dev umockdev libumockdev-dev socat
  libpango1.0-dev libcairo2-dev zlib1g-dev fonts-noto-cjk
  zbar-tools poppler-utils
  libvalijson-dev libpaho-mqttpp-dev libpaho-mqtt-dev mosquitto mosquitto-clients
  libcpp-httplib-dev libargon2-dev libcli11-dev
  chromium
  # the network chaos test: namespaces and veth pairs (ip), packet loss (nft)
  iproute2 nftables
)
# Label tests render ZPL with an independent interpreter from npm; browser
# tests drive Debian's chromium with playwright-core from npm.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done
install_npm_packages() {
  local entry dir module
  # <folder>:<the package whose presence shows the folder is installed>
  for entry in tests/support/zpl-render:zpl-renderer-js tests/browser:playwright-core; do
    dir=${entry%%:*}
    module=${entry#*:}
    [ -d "$dir/node_modules/$module" ] && continue
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  done
}
cd "$(dirname "$0")/.."
if [ ${#missing[@]} -eq 0 ]; then
  install_npm_packages
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo $0)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_npm_packages
echo "install-deps: done"
