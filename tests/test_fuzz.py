"""Fuzz the loader: whatever the text, it returns or raises CatalogueError, nothing else.

The bundled catalogue is parsed, mutated (keys deleted or retyped, random Unicode, huge and
negative numbers, nulls, nested lists), dumped back to YAML, and the text mutated again
(anchors and aliases, tags, merge keys, stray characters). Deterministic: a fixed
derandomized run of 200 examples, and no example database written anywhere.
"""

from __future__ import annotations

import contextlib
import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiprot.catalogue import bundled_path, schema
from hiprot.cli import app
from hiprot.errors import CatalogueError

BUNDLED: dict[str, Any] = yaml.safe_load((bundled_path() / "exercises.yaml").read_text(encoding="utf-8"))
KEYS = [*schema.FIELDS, "repz", "", "ID", "dosage"]
DOSAGE_KEYS = [*schema.DOSAGE_KEYS, "hold", "reps "]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.sampled_from([0, -1, 1, 2, 10**18, -(10**18), 600, 601])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["Ракушка", "Ｃｌａｍ", "Shëll", "  ", "clamshell", "fire-hydrant", "band", "warmup"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)

# (op, exercise index, key, value): how to change the parsed data.
data_ops = st.tuples(
    st.sampled_from(["delete", "set", "retype", "dosage", "muscles", "top"]),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(KEYS),
    values,
)

# Snippets spliced into the dumped text; many are invalid on purpose.
SNIPPETS = [
    "&a ", "*a", "&b [*a, *a, *a]", "<<: *a", "<<: {x: 1}", "? [a, b]\n: 1\n", "{[1]: 2}",
    "!!timestamp ", "!!bool ", "!!int ", "!!float ", "!!binary ", "!!set ", "!!omap ",
    "!!python/object/apply:os.system ['true']", "2001-13-45", "9" * 5000, "0x" + "f" * 3000,
    "[" * 80, "]", "{", "- - - - ", "\t", "\x00", "\ufeff", "'", '"', "#", ": ", "-", "|\n", ">-\n",
    "~", "null", "true", ".nan", "-.inf", "1e400", "Ｃｌａｍ", "\u0308",
]
text_ops = st.tuples(st.integers(min_value=0, max_value=10**6), st.sampled_from(SNIPPETS) | st.text(max_size=6))


def _mutate_data(data: dict[str, Any], ops: list[tuple[str, int, str, Any]]) -> dict[str, Any]:
    exercises = data["exercises"]
    for op, index, key, value in ops:
        if op == "top":
            data[key if key != "dosage" else "version"] = value
            continue
        if not exercises:
            continue
        ex = exercises[index % len(exercises)]
        if not isinstance(ex, dict):
            continue
        if op == "delete":
            ex.pop(key, None)
        elif op == "set":
            ex[key] = value
        elif op == "retype" and key in ex:
            old = ex[key]
            ex[key] = [old] if not isinstance(old, list) else (old[0] if old else None)
        elif op == "dosage" and isinstance(ex.get("dosage"), dict):
            ex["dosage"][DOSAGE_KEYS[index % len(DOSAGE_KEYS)]] = value
        elif op == "muscles" and isinstance(ex.get("muscles"), dict):
            ex["muscles"][["primary", "secondary", "tertiary"][index % 3]] = value
    return data


def _mutate_text(text: str, ops: list[tuple[int, str]]) -> str:
    for position, snippet in ops:
        at = position % (len(text) + 1)
        text = text[:at] + snippet + text[at:]
    return text


# Deterministic in CI, no example database in the repository, and quick.
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(FUZZ, max_examples=200)
@given(
    count=st.integers(min_value=1, max_value=4),
    ops=st.lists(data_ops, max_size=6),
    edits=st.lists(text_ops, max_size=4),
)
def test_the_loader_returns_or_raises_catalogue_error(
    count: int, ops: list[tuple[str, int, str, Any]], edits: list[tuple[int, str]]
) -> None:
    data = copy.deepcopy(BUNDLED)
    data["exercises"] = data["exercises"][:count]
    text = yaml.safe_dump(_mutate_data(data, ops), allow_unicode=True, sort_keys=False)
    text = _mutate_text(text, edits)
    with contextlib.suppress(CatalogueError):
        schema.parse_catalogue(text, "fuzz.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            schema.parse_files([path], folder)
        except CatalogueError as exc:
            assert str(exc)


@settings(FUZZ, max_examples=40)
@given(
    count=st.integers(min_value=1, max_value=3),
    ops=st.lists(data_ops, max_size=4),
    edits=st.lists(text_ops, max_size=3),
    command=st.sampled_from([["list"], ["routine", "--goal", "warmup"], ["show", "clamshell"], ["list", "-f", "json"]]),
)
def test_no_generated_catalogue_makes_the_cli_print_a_traceback(
    hiprot, count: int, ops: list[tuple[str, int, str, Any]], edits: list[tuple[int, str]], command: list[str]
) -> None:
    """Whatever the catalogue holds, the command exits 0 or 1 with a message, never an exception."""
    data = copy.deepcopy(BUNDLED)
    data["exercises"] = data["exercises"][:count]
    text = _mutate_text(yaml.safe_dump(_mutate_data(data, ops), allow_unicode=True, sort_keys=False), edits)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = hiprot.runner.invoke(app, [*command, "--catalog", str(path)])
    assert result.exit_code in (0, 1), (result.exit_code, result.exception, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ")
