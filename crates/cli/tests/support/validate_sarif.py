#!/usr/bin/env python3
"""Validates SARIF logs against the official SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py SCHEMA LOG...

Exit status: 0 every log is valid, 1 a log is invalid (each error is printed), 3 the
`jsonschema` package is not installed (the caller decides whether that is a failure).

The schema, `tests/data/sarif-2.1.0-rtm.5.json`, is the OASIS SARIF 2.1.0 (rtm.5) schema
as shipped in the npm package `@microsoft/jest-sarif` 1.0.0-beta.0 (MIT), unchanged.
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif.py: the python package `jsonschema` is not installed", file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    failed = False
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        for error in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
            failed = True
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
