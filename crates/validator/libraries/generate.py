#!/usr/bin/env python3
"""Generates crates/validator/src/libraries/table.rs: known front-end library files by hash.

For every library in inputs.json it lists the stable versions of its npm packages, downloads
each tarball once (cached outside the repository), and hashes the distributed files a widget
would bundle: the SHA-256 of the exact bytes and the SHA-256 of the "normalised" bytes (UTF-8
BOM dropped, CRLF turned into LF, whitespace at the end of the file trimmed), with their sizes.
It also turns advisories.json (published vulnerabilities of those packages) into Rust, after
trying to refresh it from the npm registry's bulk advisory endpoint, the one `npm audit` uses.

    python3 crates/validator/libraries/generate.py            # regenerate table.rs
    python3 crates/validator/libraries/generate.py --offline  # from the cache only, no network
    python3 crates/validator/libraries/generate.py --check    # fail if table.rs is out of date

Environment: WIDGETRY_LIBRARIES_CACHE (cache folder, default ~/.cache/widgetry-libraries),
WIDGETRY_NPM_REGISTRY (default https://registry.npmjs.org). Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import datetime
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent
INPUTS = HERE / "inputs.json"
ADVISORIES = HERE / "advisories.json"
OUTPUT = CRATE / "src" / "libraries" / "table.rs"
REGISTRY = os.environ.get("WIDGETRY_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
CACHE = Path(os.environ.get("WIDGETRY_LIBRARIES_CACHE") or Path.home() / ".cache" / "widgetry-libraries")
BULK_ADVISORIES = REGISTRY + "/-/npm/v1/security/advisories/bulk"
STABLE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# Bytes trimmed from the end of a file by the normalisation (kept in step with mod.rs).
TRAILING = b" \t\r\n"
BOM = b"\xef\xbb\xbf"


# ---------------------------------------------------------------------------------------------
# Versions and ranges


def parse_version(text: str) -> tuple[int, ...] | None:
    """A stable X.Y.Z version as a tuple, or None for anything else (prereleases included)."""
    m = STABLE.match(text)
    return tuple(int(g) for g in m.groups()) if m else None


def loose_version(text: str) -> tuple[int, int, int]:
    """X, X.Y or X.Y.Z (as ranges write them) as a three-part tuple."""
    parts = text.strip().lstrip("v").split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"unsupported version {text!r} in a range")
    nums = [int(p) for p in parts] + [0, 0]
    return (nums[0], nums[1], nums[2])


COMPARATOR = re.compile(r"^(>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})$")


def parse_range(text: str) -> list[list[tuple[str, tuple[int, int, int]]]]:
    """A small subset of npm ranges: '||' of space-separated '>=1.2.0 <3.5.0', '=1.0.0',
    '1.2.3 - 2.0.0' and '*'. Returns alternatives, each a list of (operator, version)."""
    alternatives = []
    for alt in text.split("||"):
        alt = alt.strip()
        if alt in ("", "*"):
            alternatives.append([])
            continue
        hyphen = re.match(r"^(\S+)\s+-\s+(\S+)$", alt)
        if hyphen:
            alternatives.append([(">=", loose_version(hyphen.group(1))), ("<=", loose_version(hyphen.group(2)))])
            continue
        comparators = []
        for token in re.findall(r"(?:>=|<=|>|<|=)?\s*v?[\d.]+", alt):
            m = COMPARATOR.match(token.strip())
            if not m:
                raise ValueError(f"unsupported range {text!r}")
            comparators.append((m.group(1) or "=", loose_version(m.group(2))))
        if not comparators or re.sub(r"(?:>=|<=|>|<|=)?\s*v?[\d.]+", "", alt).strip():
            raise ValueError(f"unsupported range {text!r}")
        alternatives.append(comparators)
    return alternatives


def satisfies(version: tuple[int, ...], alternatives) -> bool:
    def ok(op, bound):
        return {
            ">=": version >= bound,
            "<=": version <= bound,
            ">": version > bound,
            "<": version < bound,
            "=": version == bound,
        }[op]

    return any(all(ok(op, bound) for op, bound in alt) for alt in alternatives)


def bounds(alt) -> tuple[str, bool, str, bool]:
    """One alternative as an interval (lo, lo inclusive, hi, hi inclusive); '' is unbounded."""
    lo, lo_incl, hi, hi_incl = None, True, None, False
    for op, v in alt:
        if op in (">=", ">", "="):
            incl = op != ">"
            if lo is None or v > lo or (v == lo and not incl):
                lo, lo_incl = v, incl
        if op in ("<=", "<", "="):
            incl = op != "<"
            if hi is None or v < hi or (v == hi and not incl):
                hi, hi_incl = v, incl
    show = lambda v: "" if v is None else ".".join(map(str, v))  # noqa: E731
    return show(lo), lo_incl, show(hi), hi_incl


# ---------------------------------------------------------------------------------------------
# Globs


def compile_glob(pattern: str) -> re.Pattern:
    """'*' matches within one path segment, '**/' any number of directories, '?' one char."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


# ---------------------------------------------------------------------------------------------
# Registry and cache


def fetch(url: str, accept: str | None = None, data: bytes | None = None, headers=None) -> bytes:
    request = urllib.request.Request(url, data=data, headers={"User-Agent": "widgetry-libraries-generator", **(headers or {})})
    if accept:
        request.add_header("Accept", accept)
    last = None
    for attempt in range(4):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            if e.code < 500:
                raise
            last = e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            last = e
        time.sleep(1 + attempt * 2)
    raise RuntimeError(f"{url}: {last}")


def cache_name(package: str) -> str:
    return package.replace("/", "__")


def packument(package: str, offline: bool) -> dict:
    path = CACHE / "packuments" / (cache_name(package) + ".json")
    if not offline:
        body = fetch(REGISTRY + "/" + urllib.parse.quote(package, safe="@"), accept="application/vnd.npm.install-v1+json")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(body)
        tmp.replace(path)
    if not path.exists():
        raise SystemExit(f"--offline: no cached metadata for {package} in {path.parent}")
    return json.loads(path.read_bytes())


def integrity_ok(data: bytes, dist: dict) -> bool:
    integrity = dist.get("integrity", "")
    for item in integrity.split():
        algo, _, digest = item.partition("-")
        if algo in ("sha512", "sha384", "sha256"):
            return base64.b64encode(hashlib.new(algo, data).digest()).decode() == digest
    if dist.get("shasum"):
        return hashlib.sha1(data).hexdigest() == dist["shasum"]
    return True


def tarball(package: str, version: str, dist: dict, offline: bool) -> bytes:
    path = CACHE / "tarballs" / cache_name(package) / (version + ".tgz")
    if path.exists():
        data = path.read_bytes()
        if integrity_ok(data, dist):
            return data
    if offline:
        raise SystemExit(f"--offline: {package}@{version} is not in the cache ({path})")
    data = fetch(dist["tarball"])
    if not integrity_ok(data, dist):
        raise RuntimeError(f"{package}@{version}: tarball integrity mismatch")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp%d" % os.getpid())
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


# ---------------------------------------------------------------------------------------------
# Hashing


def normalise(data: bytes) -> bytes:
    """BOM dropped, CRLF -> LF, trailing whitespace/newlines trimmed (mirrors mod.rs)."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    return data.replace(b"\r\n", b"\n").rstrip(TRAILING)


def hash_version(job) -> tuple:
    library, package, version, dist, patterns, offline = job
    data = tarball(package, version, dist, offline)
    found = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            name = member.name.lstrip("./")
            if "/" not in name:
                continue
            rel = name.split("/", 1)[1]
            if rel in found or not any(p.match(rel) for p in patterns):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            body = handle.read()
            norm = normalise(body)
            found[rel] = (
                (len(body), hashlib.sha256(body).digest()),
                (len(norm), hashlib.sha256(norm).digest()) if norm != body else None,
            )
    return library, package, version, found


# ---------------------------------------------------------------------------------------------
# Advisories


def load_advisories() -> dict:
    return json.loads(ADVISORIES.read_text(encoding="utf-8"))


def refresh_advisories(doc: dict, versions_by_package: dict[str, list[str]], offline: bool, write: bool) -> tuple[dict, str]:
    """Asks the registry's bulk advisory endpoint; merges what it returns into doc (and, if
    write, into advisories.json). Returns the document and a one-line note for the summary."""
    if offline:
        return doc, "not refreshed (--offline); using advisories.json as kept"
    body = json.dumps({p: v for p, v in sorted(versions_by_package.items()) if v}).encode()
    try:
        raw = fetch(BULK_ADVISORIES, data=body, headers={"Content-Type": "application/json"})
        answer = json.loads(raw)
    except Exception as e:  # the endpoint may be unreachable from here: keep the file
        return doc, f"bulk advisory endpoint unavailable ({e.__class__.__name__}: {str(e)[:80]}); using advisories.json as kept"
    fetched = []
    for package, items in sorted(answer.items()):
        for item in items:
            url = item.get("url", "")
            ghsa = url.rsplit("/", 1)[-1] if "GHSA-" in url else str(item.get("id"))
            fetched.append(
                {
                    "package": package,
                    "id": ghsa,
                    "aliases": [],
                    "severity": item.get("severity", ""),
                    "vulnerable_versions": item.get("vulnerable_versions", "*"),
                    "summary": item.get("title", ""),
                    "url": url,
                    "source": "npm registry bulk advisories",
                }
            )
    known = {a["id"] for a in fetched}
    merged = []
    for old in doc.get("advisories", []):
        ids = {old["id"], *old.get("aliases", [])}
        match = next((f for f in fetched if f["id"] in ids and f["package"] == old["package"]), None)
        if match:
            # Keep the id (CVE) we had, the GHSA id as an alias; take the registry's range and wording.
            match["aliases"] = sorted({*old.get("aliases", []), match["id"]} - {old["id"]})
            match["id"] = old["id"]
            continue
        merged.append(old)
    merged.extend(fetched)
    merged.sort(key=lambda a: (a["package"], a["id"]))
    doc = dict(doc)
    doc["advisories"] = merged
    doc["source"] = "npm registry bulk advisory endpoint (%s), fetched %s; entries marked hand-kept were not returned by it" % (
        BULK_ADVISORIES,
        datetime.date.today().isoformat(),
    )
    if write:
        ADVISORIES.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return doc, f"refreshed from the bulk advisory endpoint: {len(fetched)} advisories ({len(known)} distinct)"


# ---------------------------------------------------------------------------------------------
# Rust output


def rs_str(text: str) -> str:
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def rs_row(size: int, digest: bytes, library: int, version: int, file: int) -> str:
    hi, lo = digest[:16].hex(), digest[16:].hex()
    return f"K({size},0x{hi},0x{lo},{library},{version},{file}),"


def render(libraries, packages, versions, files, exact, normalised, advisories, advisory_source) -> str:
    out = []
    w = out.append
    w("// @generated by crates/validator/libraries/generate.py; do not edit.")
    w("// Regenerate: python3 crates/validator/libraries/generate.py (inputs: inputs.json, advisories.json).")
    w("//")
    w("// Rows are K(size, sha256[..16], sha256[16..], library, version, file), indexes into the")
    w("// tables below; sorted by (size, hash) so that a file whose size matches no row is never hashed.")
    w("")
    w("use super::{Advisory, Known as K, Range as R};")
    w("")
    w("/// Display names of the libraries.")
    w("pub(super) static LIBRARIES: &[&str] = &[")
    for name in libraries:
        w(f"    {rs_str(name)},")
    w("];")
    w("")
    w("/// npm package names and the library each one belongs to.")
    w("pub(super) static PACKAGES: &[(&str, u8)] = &[")
    for name, lib in packages:
        w(f"    ({rs_str(name)}, {lib}),")
    w("];")
    w("")
    w("/// Versions, by index.")
    w("pub(super) static VERSIONS: &[&str] = &[")
    for i in range(0, len(versions), 10):
        w("    " + " ".join(rs_str(v) + "," for v in versions[i : i + 10]))
    w("];")
    w("")
    w("/// Paths inside the npm packages, by index.")
    w("pub(super) static FILES: &[&str] = &[")
    for f in files:
        w(f"    {rs_str(f)},")
    w("];")
    w("")
    w("/// Files by the SHA-256 of their exact bytes.")
    w("pub(super) static EXACT: &[K] = &[")
    out.extend(rs_row(*row) for row in exact)
    w("];")
    w("")
    w("/// Files by the SHA-256 of their normalised bytes, where those differ from the exact bytes.")
    w("pub(super) static NORMALISED: &[K] = &[")
    out.extend(rs_row(*row) for row in normalised)
    w("];")
    w("")
    w("/// Where the advisories come from.")
    w(f"pub(super) const ADVISORY_SOURCE: &str = {rs_str(advisory_source)};")
    w("")
    w("/// Published vulnerabilities, by library.")
    w("pub(super) static ADVISORIES: &[(u8, Advisory)] = &[")
    for lib, a, ranges in advisories:
        rs_ranges = ", ".join(f"R({rs_str(lo)}, {str(li).lower()}, {rs_str(hi)}, {str(hinc).lower()})" for lo, li, hi, hinc in ranges)
        aliases = ", ".join(rs_str(x) for x in a.get("aliases", []))
        w(f"    ({lib}, Advisory {{")
        w(f"        id: {rs_str(a['id'])},")
        w(f"        aliases: &[{aliases}],")
        w(f"        severity: {rs_str(a.get('severity', ''))},")
        w(f"        summary: {rs_str(a['summary'])},")
        w(f"        url: {rs_str(a['url'])},")
        w(f"        affected: {rs_str(a['vulnerable_versions'])},")
        w(f"        source: {rs_str(a.get('source', 'hand-kept'))},")
        w(f"        ranges: &[{rs_ranges}],")
        w("    }),")
    w("];")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offline", action="store_true", help="use only the cache: no network")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if table.rs would change")
    parser.add_argument("--jobs", type=int, default=8, help="parallel downloads (default 8)")
    parser.add_argument("--verbose", action="store_true", help="list versions that had none of the files")
    args = parser.parse_args()
    started = time.monotonic()

    inputs = json.loads(INPUTS.read_text(encoding="utf-8"))
    libraries = [lib["name"] for lib in inputs["libraries"]]
    if len(libraries) > 255:
        raise SystemExit("more than 255 libraries: widen the index type")
    package_rows = []
    jobs = []
    for li, lib in enumerate(inputs["libraries"]):
        for pkg in lib["packages"]:
            package_rows.append((pkg["npm"], li))
            wanted = parse_range(pkg["versions"])
            builds = [(parse_range(b.get("versions", "*")), [compile_glob(f) for f in b["files"]]) for b in pkg["builds"]]
            meta = packument(pkg["npm"], args.offline)
            for version, info in meta.get("versions", {}).items():
                parsed = parse_version(version)
                if parsed is None or not satisfies(parsed, wanted):
                    continue
                patterns = [p for rng, pats in builds if satisfies(parsed, rng) for p in pats]
                if patterns:
                    jobs.append((li, pkg["npm"], version, info["dist"], patterns, args.offline))
    jobs.sort(key=lambda j: (j[0], j[1], parse_version(j[2])))

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(hash_version, jobs):
            results.append(result)

    # (kind, size, digest) -> candidates (library, package, version, file)
    rows: dict[tuple[str, int, bytes], list[tuple[int, str, str, str]]] = {}
    empty, versions_by_package = [], {}
    file_count = 0
    for library, package, version, found in results:
        if not found:
            empty.append(f"{package}@{version}")
            continue
        versions_by_package.setdefault(package, []).append(version)
        for rel, (exact, norm) in found.items():
            file_count += 1
            rows.setdefault(("exact", *exact), []).append((library, package, version, rel))
            if norm is not None:
                rows.setdefault(("norm", *norm), []).append((library, package, version, rel))
    exact_keys = {(size, digest) for kind, size, digest in rows if kind == "exact"}

    shared_versions = shared_libraries = 0
    chosen = {}
    for key, candidates in rows.items():
        kind, size, digest = key
        if kind == "norm" and (size, digest) in exact_keys:
            continue  # a re-saved copy matches another release's exact bytes: that row answers
        libs = {c[0] for c in candidates}
        if len(libs) > 1:
            shared_libraries += 1
        if len({c[2] for c in candidates}) > 1:
            shared_versions += 1
        # Same bytes in several releases: name the newest (the code is that release's code).
        best = max(candidates, key=lambda c: (-c[0], parse_version(c[2]), [-ord(ch) for ch in c[3]]))
        chosen[key] = best

    version_list = sorted({c[2] for c in chosen.values()}, key=parse_version)
    file_list = sorted({c[3] for c in chosen.values()})
    vindex = {v: i for i, v in enumerate(version_list)}
    findex = {f: i for i, f in enumerate(file_list)}
    if len(version_list) > 65535 or len(file_list) > 65535:
        raise SystemExit("too many versions or files for u16 indexes")
    exact_rows, norm_rows = [], []
    for (kind, size, digest), (library, _package, version, rel) in chosen.items():
        row = (size, digest, library, vindex[version], findex[rel])
        (exact_rows if kind == "exact" else norm_rows).append(row)
    exact_rows.sort(key=lambda r: (r[0], r[1]))
    norm_rows.sort(key=lambda r: (r[0], r[1]))

    doc = load_advisories()
    doc, advisory_note = refresh_advisories(doc, {p: sorted(v, key=parse_version) for p, v in versions_by_package.items()}, args.offline, not args.check)
    by_package = dict(package_rows)
    advisory_rows = []
    for a in sorted(doc["advisories"], key=lambda a: (by_package.get(a["package"], 999), a["package"], a["id"])):
        if a["package"] not in by_package:
            raise SystemExit(f"advisories.json: package {a['package']} is not in inputs.json")
        try:
            ranges = [bounds(alt) for alt in parse_range(a["vulnerable_versions"])]
        except ValueError as e:
            raise SystemExit(f"advisories: {a['package']} {a['id']}: {e}") from None
        advisory_rows.append((by_package[a["package"]], a, ranges))

    text = render(libraries, package_rows, version_list, file_list, exact_rows, norm_rows, advisory_rows, doc["source"])
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
    else:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")

    versions_with_files = sum(len(v) for v in versions_by_package.values())
    print(f"libraries: {len(libraries)} ({len(package_rows)} npm packages)")
    print(f"versions:  {versions_with_files} with files ({len(empty)} in range had none of the listed files)")
    print(f"files:     {file_count} hashed ({len(file_list)} distinct paths)")
    print(
        f"rows:      {len(exact_rows)} exact + {len(norm_rows)} normalised = {len(exact_rows) + len(norm_rows)}"
        f" ({shared_versions} hashes shared by several versions: newest named; {shared_libraries} across libraries)"
    )
    print(f"advisories: {len(advisory_rows)}; {advisory_note}")
    print(f"output:    {OUTPUT.relative_to(CRATE.parent.parent) if OUTPUT.is_relative_to(CRATE.parent.parent) else OUTPUT}"
          f" ({len(text.encode())} bytes){' (checked)' if args.check else ''}")
    print(f"seconds:   {time.monotonic() - started:.1f}")
    if args.verbose and empty:
        print("versions without files: " + ", ".join(empty))
    return 0


if __name__ == "__main__":
    sys.exit(main())
