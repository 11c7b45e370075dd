#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report check (deploy-bench ChromiumReportTest).
# Safe to call repeatedly: does nothing when `chromium` is already on the PATH. Needs root (or sudo) and apt.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(chromium --version 2>/dev/null || echo '?')"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
chromium --version
