"""The dependency audit behind scripts/security-audit.sh (run from the repository's root)."""

import datetime
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

IGNORE_FILE = Path("scripts/security-ignore.txt")


def ignored() -> tuple[dict[str, str], list[str]]:
    """The accepted advisories {id: reason}, and problems with the list itself."""
    accepted, problems = {}, []
    today = datetime.date.today()
    for number, line in enumerate(IGNORE_FILE.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\S+)\s+(\d{4}-\d{2}-\d{2})\s+(\S.*)$", line)
        if not m:
            problems.append(f"{IGNORE_FILE}, line {number}: give the id, a date to look again "
                            "(YYYY-MM-DD) and the reason")
            continue
        if datetime.date.fromisoformat(m[2]) < today:
            problems.append(f"{IGNORE_FILE}, line {number}: {m[1]} was to be looked at again "
                            f"by {m[2]}")
        accepted[m[1]] = m[3]
    return accepted, problems


def python_audit(accepted) -> tuple[list[str], list[str]]:
    """(advisories found, what could not be checked) for the Python lock."""
    with tempfile.NamedTemporaryFile("w+", suffix=".txt") as requirements:
        subprocess.run([".tools/bin/uv", "export", "--frozen", "--no-hashes",
                        "--no-emit-project", "--all-groups", "--format", "requirements-txt",
                        "--output-file", requirements.name, "--quiet"], check=True)
        command = [".venv/bin/pip-audit", "-r", requirements.name, "--no-deps", "--disable-pip",
                   "--format", "json", "--progress-spinner", "off"]
        for advisory in accepted:
            command += ["--ignore-vuln", advisory]
        run = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return [], [f"pip-audit could not run: {run.stderr.strip().splitlines()[-1:]}"]
    found, unchecked = [], []
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            unchecked.append(f"{dep['name']} {dep.get('version', '')}".strip())
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            if ids & set(accepted):
                continue
            fix = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            found.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fix})")
    if unchecked:
        unchecked = [f"pip-audit could not check {len(unchecked)} of "
                     f"{len(report.get('dependencies', []))} Python packages (e.g. "
                     f"{', '.join(unchecked[:3])}): the advisory database was not reachable"]
    return found, unchecked


def npm_audit(accepted) -> tuple[list[str], list[str]]:
    run = subprocess.run(["npm", "audit", "--json", "--package-lock-only"],
                         capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return [], ["npm audit gave no report"]
    if "vulnerabilities" not in report:
        reason = report.get("message") or report.get("error", {}).get("summary") or "no report"
        return [], [f"npm audit could not reach the advisory database ({reason})"]
    found = []
    for name, entry in sorted(report["vulnerabilities"].items()):
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue  # reached through another package, reported under that one
            advisory = via.get("url", "").rstrip("/").rsplit("/", 1)[-1] or str(via.get("source"))
            if advisory in accepted or str(via.get("source")) in accepted:
                continue
            found.append(f"{name} {entry.get('range', '')}: {advisory} {via.get('title', '')} "
                         f"({via.get('severity', '')})")
    return found, []


def main(argv) -> int:
    strict = "--strict" in argv
    accepted, problems = ignored()
    py_found, py_unchecked = python_audit(accepted)
    npm_found, npm_unchecked = npm_audit(accepted)
    found = py_found + npm_found
    unchecked = py_unchecked + npm_unchecked
    for line in problems:
        print(f"IGNORE LIST: {line}")
    for line in found:
        print(f"ADVISORY: {line}")
    for line in unchecked:
        print(f"NOT CHECKED: {line}")
    if accepted:
        print(f"Accepted for now ({IGNORE_FILE}): {', '.join(sorted(accepted))}")
    if found or problems:
        print("Security audit failed: update the locked versions, or (only if no fix can be "
              f"used yet) add the advisory to {IGNORE_FILE} with a reason and a date.")
        return 1
    if unchecked:
        print("Security audit incomplete: no known advisory, but the databases above could not "
              "be reached." + (" Failing (--strict)." if strict else ""))
        return 3 if strict else 0
    print("Security audit passed: no known advisories in the locked Python and npm packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
