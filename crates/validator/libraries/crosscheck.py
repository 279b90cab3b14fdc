#!/usr/bin/env python3
"""Checks advisories.json against an independent source: retire.js's vulnerability repository.

advisories.json is hand-kept (the npm registry's bulk advisory endpoint answers 405 from the
build machine). This script compares it, version by version, with the repository of retire.js
as packaged on PyPI (`retirejs`, whose vulnerabilities.py is retire.js's jsrepository.json of
2019 as a Python literal), for every stable version of our packages that inputs.json puts in
the table:

- a CVE that retire.js lists for a version and advisories.json does not: an error (exit 1);
- a CVE both list, but for different versions: shown, with the versions;
- a retire.js entry without a CVE, for a version advisories.json has nothing for: shown.

    python3 crates/validator/libraries/crosscheck.py

Reads the npm registry (version lists, through generate.py's cache) and PyPI; runs nothing it
downloads (the literal is read with ast.literal_eval). Standard library only.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (the same ranges, versions and registry cache)

PYPI_PROJECT = "https://pypi.org/pypi/retirejs/json"
RETIREJS_VERSION = "1.5"
# Our npm package -> the retire.js components that describe it. retire.js splits jQuery UI by
# widget and files ReactDOM's server-rendering CVE under React.
COMPONENTS = {
    "jquery": ["jquery"],
    "jquery-migrate": ["jquery-migrate"],
    "jquery-ui": ["jquery-ui-autocomplete", "jquery-ui-dialog", "jquery-ui-tooltip"],
    "jquery-validation": ["jquery.validator"],
    "moment": ["moment.js"],
    "handlebars": ["handlebars.js"],
    "vue": ["vue"],
    "react-dom": ["react"],
    "bootstrap": ["bootstrap"],
}


def retire_definitions() -> dict:
    project = json.loads(generate.fetch(PYPI_PROJECT))
    sdist = next(u for u in project["releases"][RETIREJS_VERSION] if u["packagetype"] == "sdist")
    data = generate.fetch(sdist["url"])
    if hashlib.sha256(data).hexdigest() != sdist["digests"]["sha256"]:
        raise SystemExit(f"{sdist['url']}: SHA-256 differs from PyPI's")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("retirejs/vulnerabilities.py"))
        source = tar.extractfile(member).read().decode()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "definitions":
            return ast.literal_eval(node.value)
    raise SystemExit("retirejs: no `definitions` in vulnerabilities.py")


def table_versions() -> dict[str, list[tuple[int, ...]]]:
    """The stable versions of each package that inputs.json puts in the table."""
    inputs = json.loads(generate.INPUTS.read_text())
    out: dict[str, list[tuple[int, ...]]] = {}
    for library in inputs["libraries"]:
        for pkg in library["packages"]:
            if pkg["npm"] not in COMPONENTS:
                continue
            wanted = generate.parse_range(pkg["versions"])
            versions = (generate.parse_version(v) for v in generate.packument(pkg["npm"], False)["versions"])
            out[pkg["npm"]] = sorted(v for v in versions if v and generate.satisfies(v, wanted))
    return out


def show(versions) -> str:
    return ", ".join(".".join(map(str, v)) for v in sorted(versions))


def retire_marks(entry: dict, version: tuple[int, ...]) -> bool:
    def bound(text: str) -> tuple[int, ...]:
        # A prerelease bound ("1.9.0b1", "1.0.0.beta.3") is, for stable versions, its X.Y.Z.
        match = re.match(r"\d+(\.\d+){0,2}", text)
        if not match:
            raise SystemExit(f"retire.js: unsupported version {text!r}")
        return generate.loose_version(match.group(0))

    low = entry.get("atOrAbove")
    return (low is None or version >= bound(low)) and version < bound(entry["below"])


def main() -> int:
    definitions = retire_definitions()
    ours = json.loads(generate.ADVISORIES.read_text())["advisories"]
    missing = 0
    for package, versions in table_versions().items():
        entries = [e for name in COMPONENTS[package] for e in definitions[name]["vulnerabilities"]]
        advisories = [(a, generate.parse_range(a["vulnerable_versions"])) for a in ours if a["package"] == package]
        cves = sorted({c for e in entries for c in e["identifiers"].get("CVE", [])})
        for cve in cves:
            theirs = {v for v in versions if any(cve in e["identifiers"].get("CVE", []) and retire_marks(e, v) for e in entries)}
            if not theirs:
                continue
            listed = [(a, r) for a, r in advisories if cve == a["id"] or cve in a.get("aliases", [])]
            mine = {v for v in versions if any(generate.satisfies(v, r) for _, r in listed)}
            if not listed:
                missing += 1
                print(f"error: {package} {cve}: retire.js lists it for {show(theirs)}; advisories.json does not")
            elif mine != theirs:
                print(f"differs: {package} {cve}: only ours {show(mine - theirs) or '-'}; only retire.js {show(theirs - mine) or '-'}")
            else:
                print(f"same: {package} {cve} ({len(mine)} versions)")
        for e in entries:
            if e["identifiers"].get("CVE"):
                continue
            bare = [v for v in versions if retire_marks(e, v) and not any(generate.satisfies(v, r) for _, r in advisories)]
            if bare:
                summary = e["identifiers"].get("summary", "").strip()
                print(f"no CVE: {package} {show(bare)}: retire.js: {summary!r} {e.get('info', [''])[0]}; advisories.json has nothing for these")
    print(f"{missing} CVE(s) missing from advisories.json")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
