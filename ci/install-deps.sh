#!/usr/bin/env bash
# Installs what iscert needs beyond Swift: GSL's headers and libraries, and
# pkg-config to find them. Debian/Ubuntu; does nothing when GSL is already there.
set -euo pipefail
if pkg-config --exists gsl 2>/dev/null; then
  echo "GSL $(pkg-config --modversion gsl) is installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null
echo "GSL $(pkg-config --modversion gsl) installed"
