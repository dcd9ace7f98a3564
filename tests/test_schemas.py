"""JSON output is an interface: each JSON output's shape is written down as a JSON Schema
in docs/schemas/, and real output is checked against it here."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        resources.append((data["$id"], Resource.from_contents(data)))
    return Registry().with_resources(resources)


def check(name: str, data: Any) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker()).validate(data)


@pytest.fixture
def with_plan(hiprot) -> None:
    """A person with a replaced left hip and a stiff right one, on a plan for two weeks with sessions logged."""
    today = date.today()
    hiprot("profile", "hip", "left", "hip-replacement", "--approach", "posterior",
           "--since", (today - timedelta(weeks=6)).isoformat())  # fmt: skip
    hiprot("profile", "hip", "right", "stiff")
    start = today - timedelta(weeks=2)
    hiprot("plan", "new", "--goal", "warmup", "--weeks", "6", "--days", "mon,wed,fri", "--start", start.isoformat())
    for offset in (1, 3, 8):
        hiprot("log", "--when", (start + timedelta(days=offset)).isoformat(), "--pain", "3", "--again")


def test_every_schema_is_valid() -> None:
    names = sorted(p.name for p in SCHEMAS.glob("*.json"))
    assert names == ["catalogue.json", "go-dry-run.json", "history.json", "list.json", "plan.json", "prescription-file.json", "prescription.json",
                     "report.json", "routine.json", "show.json", "today.json"]  # fmt: skip
    for name in names:
        Draft202012Validator.check_schema(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def test_outputs_without_a_plan_match_their_schemas(hiprot) -> None:
    check("routine.json", hiprot.json("routine", "--goal", "warmup"))
    check("routine.json", hiprot.json("routine", "--goal", "strength", "--side", "left"))
    check("show.json", hiprot.json("show", "clamshell"))
    check("list.json", hiprot.json("list"))
    check("go-dry-run.json", hiprot.json("go", "--goal", "recovery", "--dry-run"))
    check("today.json", hiprot.json("today"))
    check("report.json", hiprot.json("report"))
    check("history.json", hiprot.json("history"))


def test_outputs_with_a_plan_match_their_schemas(hiprot, with_plan) -> None:
    for args in (("today",), ("plan",), ("report",), ("go", "--dry-run"), ("routine", "--saved", "plan"),
                 ("history",), ("history", "--measurements")):  # fmt: skip
        data = hiprot.json(*args)
        name = {"go": "go-dry-run.json", "routine": "routine.json"}.get(args[0], f"{args[0]}.json")
        check(name, data)
    assert hiprot.json("today")["prescription"]["plan"]["week"] == 3


def test_a_schema_catches_a_renamed_field(hiprot) -> None:
    """The check can fail: an output that drops a documented field is refused."""
    data = hiprot.json("routine", "--goal", "warmup")
    data["items"][0]["dose"] = data["items"][0].pop("dosage")
    with pytest.raises(ValidationError, match="dosage"):
        check("routine.json", data)
