"""Hostile catalogues cost bounded time and memory and end in one clear line (issue 10).

Whatever could eat the machine (an alias bomb, /dev/zero, nesting that crashes libyaml's
composer) is loaded in a child process under a 1 GiB address-space limit and a timeout,
so a regression fails the test instead of the test run.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hiprot
from hiprot.catalogue import limits, load_catalogue
from hiprot.errors import CatalogueError

from .conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
SRC = str(Path(hiprot.__file__).resolve().parents[1])
GIB = 1 << 30
# Exit 3 with the message on stdout: a CatalogueError; anything else (MemoryError, a
# crash, a traceback) exits otherwise.
DRIVER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
if sys.argv[2:] == ["pure"]:  # PyYAML without libyaml: its own Python composer
    import yaml
    del yaml.CSafeLoader
from hiprot.catalogue import load_catalogue
from hiprot.errors import CatalogueError
try:
    load_catalogue(sys.argv[1])
except CatalogueError as exc:
    print(exc)
    sys.exit(3)
"""


def _load_in_child(path: Path | str, *, pure: bool = False, timeout: float = 10) -> str:
    """Load a catalogue in a bounded child; its one-line CatalogueError message."""
    env = dict(os.environ, PYTHONPATH=SRC)
    args = [sys.executable, "-c", DRIVER, str(path), *(["pure"] if pure else [])]
    try:
        proc = subprocess.run(args, check=False, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path} took more than {timeout} s")
    assert proc.returncode == 3, f"exit {proc.returncode}\nstdout: {proc.stdout[:500]}\nstderr: {proc.stderr[-2000:]}"
    assert proc.stderr == ""
    message = proc.stdout.rstrip("\n")
    assert "\n" not in message, message[:500]
    return message


@pytest.mark.parametrize("field", ["name", "reps", "steps", "version"])
def test_alias_bomb_is_refused_at_once_in_bounded_memory(field: str) -> None:
    path = HOSTILE / f"bomb_{field}.yaml"
    assert path.stat().st_size < 800
    message = _load_in_child(path)
    assert message == (
        f"{path}:8: aliases (*name) here repeat values until they pass 1,000,000, "
        "the limit for one catalogue file"
    )


def test_alias_bomb_through_the_command_line_is_one_line_and_exit_1() -> None:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))

    path = HOSTILE / "bomb_steps.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "hiprot", "list", "--catalog", str(path)],
        check=False,
        env=dict(os.environ, PYTHONPATH=SRC),
        capture_output=True,
        text=True,
        timeout=10,
        preexec_fn=limit,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "1,000,000" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr) < 300


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_stop_at_the_size_limit(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert _load_in_child(device) == (
        f"{device}: larger than 16 MiB, the limit for one catalogue file; "
        "split a larger catalogue into several files in one folder"
    )


def test_a_regular_file_past_the_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_text("version: 1\n" + "#" * 2000 + "\n")
    with pytest.raises(CatalogueError, match="larger than 0 MiB, the limit") as caught:
        load_catalogue(big)
    assert str(caught.value).count("\n") == 0


def test_the_limits_are_what_the_readme_quotes() -> None:
    assert limits.MAX_FILE_BYTES == 16 * 1024 * 1024
    assert limits.MAX_NODES == 1_000_000
    assert limits.MAX_DEPTH == 64


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "- " * 100_000 + "x\n", "a:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 200))],
    ids=["flow", "block-sequence", "indented"],
)
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, text: str) -> None:
    # libyaml's composer recurses in C: 100,000 levels kill the interpreter (SIGSEGV).
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    message = _load_in_child(path)
    assert message.startswith(f"{path}:")
    assert message.endswith("nested more than 64 levels deep (a catalogue needs 6)")


def test_too_many_values_stop_composing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    path = tmp_path / "flat.yaml"
    path.write_text("version: 1\nexercises: []\nfiller: [" + ", ".join(["0"] * 2000) + "]\n")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value) == (
        f"{path}:3: more than 1,000 YAML values, the limit for one catalogue file; "
        "split a larger catalogue into several files in one folder"
    )


def test_a_value_that_contains_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("version: 1\nexercises: &x [*x]\n")
    with pytest.raises(CatalogueError, match=r"loop.yaml:2: a value here contains itself through an alias"):
        load_catalogue(path)


def test_aliases_within_the_limit_still_load(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    text = text.replace("    sources: [hip-ir-how-to]", "    sources: &src [hip-ir-how-to]", 1)
    text = text.replace("    sources: [hip-ir-how-to]", "    sources: *src")
    (tmp_path / "aliases.yaml").write_text(text)
    assert len(load_catalogue(tmp_path / "aliases.yaml")) == 4


def test_the_pure_python_loader_is_bounded_too(tmp_path: Path) -> None:
    bomb = HOSTILE / "bomb_name.yaml"
    assert "1,000,000, the limit" in _load_in_child(bomb, pure=True)
    (tmp_path / "deep.yaml").write_text("[" * 5000 + "]" * 5000)
    assert "nested more than 64 levels" in _load_in_child(tmp_path / "deep.yaml", pure=True)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2001-13-45", "cannot read this value: month must be in 1..12"),
        ("!!bool maybe", "cannot read this value: 'maybe' is not a valid bool"),
        ("!!timestamp soon", "cannot read this value: 'soon' is not a valid timestamp"),
        ("9" * 5000, "cannot read this value: a number with more digits than Python converts (4,300)"),
    ],
)
def test_values_the_safe_constructors_cannot_build_are_one_line(tmp_path: Path, value: str, expected: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(f"version: 1\nexercises: []\nodd: {value}\n")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}:3:6: {expected}")
    assert "\n" not in str(caught.value)


def test_messages_never_embed_huge_values(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    huge_list = "[" + ", ".join(["[1, 2, [3, [4, [5]]]]"] * 20_000) + "]"
    text = text.replace("    name: Standing Drill", f"    name: {huge_list}")
    text = text.replace("      reps: [8, 10]", "      reps: " + "9" * 4000, 1)
    text = text.replace("  - id: lying-drill", "  - id: " + "X" * 100_000)
    (tmp_path / "huge.yaml").write_text(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "huge.yaml")
    problems = caught.value.problems
    assert len(problems) == 3
    assert all(len(p) < len(str(tmp_path)) + 250 for p in problems), problems
    assert problems[0].endswith("name must be non-empty text, found [[1, 2, [3, [...]]], [1, 2, [3, [...]]], [1, 2, [3, [...]...")


def test_flow_nesting_is_refused_before_any_yaml_scanner_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # hiprot's limit acts first whatever the PyYAML release (6.0.4's libyaml stops at
    # 1,000 flow levels with its own words): no loader is even built.
    import yaml

    def no_scanner(*args: object, **kwargs: object) -> None:
        raise AssertionError("a YAML loader was built for a file hiprot refuses itself")

    monkeypatch.setattr(yaml, "CSafeLoader", no_scanner, raising=False)
    monkeypatch.setattr(yaml, "SafeLoader", no_scanner)
    path = tmp_path / "deep.yaml"
    path.write_text("version: 1\nexercises:\n  - id: x\n    aliases: " + "[" * 65 + "]" * 65 + "\n")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}:4: nested more than 64 levels deep")


def test_balanced_brackets_in_text_are_not_nesting(tmp_path: Path) -> None:
    path = tmp_path / "flat.yaml"
    path.write_text("version: 1\nexercises: []\nnote: " + "'" + "[a] " * 200 + "'\n")
    assert limits._flow_too_deep(path.read_text()) is None


def _depth(text: str) -> int:
    """The deepest flow nesting, counted bracket by bracket as `_flow_too_deep` counts."""
    level = most = 0
    for ch in text:
        if ch in "[{":
            level += 1
            most = max(most, level)
        elif ch in "]}" and level:
            level -= 1
    return most


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]{}a\n", max_size=400), st.integers(1, 80))
def test_the_fast_nesting_bound_agrees_with_counting_every_bracket(noise: str, deep: int) -> None:
    text = noise + "[" * deep + noise + "]" * deep
    assert (limits._flow_too_deep(text) is not None) == (_depth(text) > limits.MAX_DEPTH)


@pytest.mark.parametrize(
    "text",
    [
        # Found by the property above: one pass of the old bound took "[]" and then "{}"
        # out of "{[]}", two levels at once, and let depth 65 through as 64.
        "{[]}" + "[" * 63 + "{[]}" + "]" * 63,
        "[" * 32 + "{" * 33 + "}" * 33 + "]" * 32,
        "[{" * 32 + "[]" + "}]" * 32,
        "[" * 65 + "}" * 65,  # a closer of either kind closes the innermost opener
    ],
)
def test_nesting_past_the_limit_in_mixed_brackets_is_refused(text: str) -> None:
    assert _depth(text) == limits.MAX_DEPTH + 1
    refused = limits._flow_too_deep(text)
    assert refused is not None and refused.line == 1


@pytest.mark.parametrize("text", ["{[]}" + "[" * 62 + "{[]}" + "]" * 62, "[{" * 32 + "}]" * 32, "[" * 64 + "}" * 64])
def test_mixed_brackets_at_the_limit_pass(text: str) -> None:
    assert _depth(text) == limits.MAX_DEPTH
    assert limits._flow_too_deep(text) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 70), st.sampled_from("[{"), st.sampled_from("]}")), max_size=6),
       st.text(alphabet="[]{}a\n", max_size=60))  # fmt: skip
def test_the_fast_nesting_bound_never_undercounts_mixed_nests(runs: list[tuple[int, str, str]], noise: str) -> None:
    # Runs of openers of either kind, each closed by closers of either kind, in sequence
    # and inside one another: pairs at many depths at once, as the old bound missed.
    text = noise
    for deep, opener, closer in runs:
        text = opener * deep + text + noise + closer * deep
    assert (limits._flow_too_deep(text) is not None) == (_depth(text) > limits.MAX_DEPTH)
