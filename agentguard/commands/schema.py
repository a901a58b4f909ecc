"""``agentguard schema``: the policy JSON Schema, generated from the pydantic models."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentguard.commands import usage
from agentguard.policy.model import Policy

SCHEMA_ID = "urn:agentguard:policy:v1"
SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "policies" / "agentguard.schema.json"


def generate() -> dict[str, Any]:
    """The JSON Schema of a policy file, with field descriptions for editors."""
    schema = Policy.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "agentguard policy",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def render() -> str:
    """The schema as the checked-in file holds it."""
    return json.dumps(generate(), indent=2, sort_keys=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the schema, write it (--write PATH), or check the checked-in copy (--check)."""
    parser = argparse.ArgumentParser(prog="agentguard schema", description=usage.plain(__doc__))
    parser.add_argument(
        "--write",
        metavar="PATH",
        nargs="?",
        const=str(SCHEMA_FILE),
        help=f"write the schema (default {SCHEMA_FILE.name} in policies/)",
    )
    parser.add_argument(
        "--check",
        metavar="PATH",
        nargs="?",
        const=str(SCHEMA_FILE),
        help="exit 1 if the file differs from the generated schema",
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        path = Path(args.check)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(
                f"{path}: stale JSON Schema; regenerate it with `agentguard schema --write`",
                file=sys.stderr,
            )
            return 1
        print(f"{path}: up to date")
        return 0
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
        return 0
    sys.stdout.write(text)
    return 0
