#!/usr/bin/env bash
# The Spark engine's tests start a JVM: install Debian's Java runtime when it is missing.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian's default-jre-headless for the Spark engine..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
java -version 2>&1 | head -1
