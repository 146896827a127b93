#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies: Python (uv.lock, with pip-audit) and npm
# (package-lock.json, with npm audit). Advisories we cannot fix yet are listed, each with a
# reason and a date to look again, in scripts/security-ignore.txt (see docs/operations.md).
#
#   scripts/security-audit.sh            fail on any advisory not in the ignore list
#   scripts/security-audit.sh --strict   also fail when an advisory database cannot be reached
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/security_audit.py "$@"
