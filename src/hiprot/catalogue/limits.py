"""Reading a catalogue file boundedly: at most MAX_FILE_BYTES of UTF-8 (a folder at most
MAX_TOTAL_BYTES), and YAML composed only while it holds no more than MAX_NODES values (an
alias counts as everything it repeats) and nests no deeper than MAX_DEPTH. A file past a
limit, unreadable, not UTF-8 or not YAML is one line, `FILE[:LINE[:COLUMN]]: what is
wrong`. Also the YAML node helpers (lines, labels, short reprs) that schema.py and
figures.py share. Only PyYAML's safe loaders are used.
"""

from __future__ import annotations

import contextlib
import re
import reprlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hiprot.errors import CatalogueError

# Limits on what one catalogue file may cost to load (a folder may hold many files).
# Measured: the bundled 22-exercise catalogue is 35 KB and 1,504 YAML values, about 68 an
# exercise. bench/run.py's generated 10,000-entry catalogue is 12.5 MB (11.9 MiB) and
# 681,377 values: it loads with room to spare under both limits, which each stop a file
# of that shape at about 13,500-14,500 entries. The largest such file that fits (16 MiB,
# 13,400 entries, 913,044 values) loads in a peak of 530 MiB; a file refused at the
# value limit peaks near 330 MiB; a 700-byte alias bomb that stands for a billion values
# is refused before anything is expanded, in 20 MiB.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A folder of files adds up: six 16 MiB files peaked at 783 MB and took 71 s. A folder
# may hold two full files' worth, which is what "split it into several files" needs.
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_NODES = 1_000_000
# A catalogue nests 6 deep (file, exercises, exercise, muscles, primary, muscle id).
# libyaml's composer recurses once per level in C and crashes the interpreter somewhere
# between 10,000 and 100,000 levels (a 200 KB file of "[" does it), so nesting is cut off
# long before that.
MAX_DEPTH = 64
_BRACKETS = re.compile(r"[\[\]{}]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# The depth count treats a closer of either kind as closing the innermost opener, so the
# fast bound does too: "{" reads as "[" and "}" as "]".
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
# The most characters of a value a message shows.
SHOWN_CHARS = 60


def read_text(file: Path) -> str:
    """A catalogue file's text: at most MAX_FILE_BYTES of UTF-8, whatever the file is.

    Never more than MAX_FILE_BYTES + 1 bytes are read, so /dev/zero or a pipe that never
    ends stops at once. CatalogueError names the file and what is wrong.
    """
    from hiprot.files import FileTooLargeError, read_bounded

    try:
        data = read_bounded(file, MAX_FILE_BYTES, regular_only=False)
    except FileTooLargeError:
        raise CatalogueError([_too_large(file)]) from None
    except OSError as exc:
        raise CatalogueError([f"{file}: cannot read the catalogue: {exc.strerror or exc}."]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogueError(
            [f"{file}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the catalogue as UTF-8"]
        ) from None


def _size_on_disk(files: list[Path]) -> int:
    """The bytes the files hold by their size (0 for one that cannot be looked at: its
    reading will say why)."""
    total = 0
    for file in files:
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    return total


def _folder_too_large(source: str) -> str:
    return (
        f"{source}: its catalogue files add up to more than {MAX_TOTAL_BYTES // 2**20} MiB, the limit for one "
        "catalogue; keep fewer or smaller files in the folder"
    )


def _too_large(file: Path) -> str:
    return (
        f"{file}: larger than {MAX_FILE_BYTES // 2**20} MiB, the limit for one catalogue file; "
        "split a larger catalogue into several files in one folder"
    )



# --- YAML, bounded ------------------------------------------------------------------------


class _Refused(Exception):
    """Composing stopped at a limit; `line` is where (0: no line to give)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def _bounded(loader: Any) -> None:
    """Make a PyYAML loader count values and nesting while it composes.

    Both composers (libyaml's and PyYAML's own) call `descend_resolver` before each value
    they build and `ascend_resolver` after it; an alias calls neither (it is counted by
    `_expansion` once composing is done). Closures with local counters, set on the
    instance, cost less than the methods they replace: no measurable time on 680,000 values.
    """
    depth = 0
    count = 0

    def descend(parent: Any, index: Any) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            line = parent.start_mark.line + 1 if parent is not None else 0
            if depth > MAX_DEPTH:
                raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep (a catalogue needs 6)")
            raise _Refused(
                line,
                f"more than {MAX_NODES:,} YAML values, the limit for one catalogue file; "
                "split a larger catalogue into several files in one folder",
            )

    def ascend() -> None:
        nonlocal depth
        depth -= 1

    loader.descend_resolver = descend
    loader.ascend_resolver = ascend


def _children(node: Any) -> list[Any]:
    if node.id == "mapping":
        return [n for pair in node.value for n in pair]
    if node.id == "sequence":
        return list(node.value)
    return []


def _expansion(root: Any) -> _Refused | None:
    """Count the values a node tree stands for with every alias expanded, without
    expanding anything: each node's total is computed once and reused wherever an alias
    repeats it. A problem if the total passes MAX_NODES or a value contains itself."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    open_nodes: set[int] = set()  # nodes whose children are being counted: the path here
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_NODES:
                return _Refused(
                    node.start_mark.line + 1,
                    f"aliases (*name) here repeat values until they pass {MAX_NODES:,}, "
                    "the limit for one catalogue file",
                )
            sizes[key] = total
        elif key not in sizes:
            if key in open_nodes:
                return _Refused(
                    node.start_mark.line + 1,
                    "a value here contains itself through an alias (*name), so it never ends",
                )
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return None


def _flow_too_deep(text: str) -> _Refused | None:
    """Refuse flow brackets nested past MAX_DEPTH before any YAML scanner sees them.

    libyaml's scanner reads ahead through flow collections before the composer (and so
    `_bounded`) is called, and its own limit and wording vary by release; counting here
    makes hiprot's limit act first with every PyYAML. Brackets are counted without regard
    to quoting, so this can only over-count a file with 65 unclosed brackets in its text.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    # Fast bound: the brackets alone, as one kind, with matched pairs removed innermost
    # first. Each pass removes every "[]" standing side by side, which is exactly one level
    # of the nesting (a pass that also removed "{}" after "[]" could take two levels, as
    # in "{[]}"), so the passes are the depth of the matched pairs and, with the openers
    # left over, bound the depth. Only a file that may be too deep is walked bracket by
    # bracket (for the line to name).
    compact = text.encode("utf-8", "surrogatepass").translate(_ONE_KIND, _NOT_BRACKETS)
    passes = 0
    while compact and passes <= MAX_DEPTH:
        reduced = compact.replace(b"[]", b"")
        if len(reduced) == len(compact):
            break
        compact, passes = reduced, passes + 1
    if passes + compact.count(b"[") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return _Refused(line, f"nested more than {MAX_DEPTH} levels deep (a catalogue needs 6)")
        elif depth:
            depth -= 1
    return None


def _yaml_nodes(text: str, source: str) -> tuple[Any, Any]:
    """Parse YAML safely and within the limits, returning (data, node tree) so errors can
    cite lines."""
    import yaml

    too_deep = _flow_too_deep(text)
    if too_deep is not None:
        raise CatalogueError([f"{source}:{too_deep.line}: {too_deep.problem}"])
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    _bounded(loader)
    node = None
    try:
        node = loader.get_single_node()
        # Only a file with both an anchor (&) and an alias (*) can repeat anything.
        if node is not None and "&" in text and "*" in text:
            refused = _expansion(node)
            if refused is not None:
                raise refused
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise CatalogueError([f"{where}: {exc.problem}"]) from None
    except yaml.MarkedYAMLError as exc:
        raise CatalogueError([_yaml_problem(exc, node, source)]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{source}: not valid YAML: {_clip(str(exc))}"]) from None
    except MemoryError:
        raise
    except Exception as exc:
        # PyYAML's constructors raise plain ValueError, KeyError, AttributeError... for
        # values such as "2001-13-45", "!!bool maybe" or a 5,000-digit number.
        raise CatalogueError([_value_problem(exc, node, source)]) from None
    finally:
        loader.dispose()
    return data, node


def _yaml_problem(exc: Any, root: Any, source: str) -> str:
    """One line for a YAML error: FILE:LINE:COLUMN: problem (and where its context began)."""
    import yaml

    mark = exc.problem_mark or exc.context_mark
    where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
    problem = _clip(exc.problem or exc.context or "invalid YAML", 160)
    context = exc.context_mark
    if exc.context and context and mark and context.line != mark.line:
        problem += f" ({exc.context} started at line {context.line + 1}, column {context.column + 1})"
    if isinstance(exc, yaml.constructor.ConstructorError):
        if exc.problem == "found unhashable key":
            key = _node_at(root, exc.problem_mark)
            kind = {"sequence": "a list", "mapping": "a mapping"}.get(key.id if key else "", "a value")
            problem = f"a mapping key must be plain text or a number, found {kind}"
        elif (exc.problem or "").startswith("could not determine a constructor"):
            problem += " (a catalogue holds plain data only; tags that build objects are refused)"
    return f"{where}: {problem}"


def _value_problem(exc: Exception, root: Any, source: str) -> str:
    """One line for a value a safe constructor could not build, at its line if found."""
    import yaml

    failing = None
    if root is not None:
        constructor = yaml.constructor.SafeConstructor()
        for node in _walk(root):
            if node.id != "scalar":
                continue
            try:
                constructor.construct_object(node, deep=True)
            except Exception:
                failing = node
                break
    if isinstance(exc, ValueError) and "digits" in str(exc):
        reason = "a number with more digits than Python converts (4,300)"
    elif isinstance(exc, ValueError):
        reason = str(exc)  # "month must be in 1..12"
    elif failing is not None:  # "!!bool maybe": a KeyError
        reason = f"{_show(failing.value)} is not a valid {str(failing.tag).rsplit(':', 1)[-1]}"
    else:
        reason = str(exc)
    if failing is None:
        return f"{source}: cannot read a value: {_clip(reason)}"
    mark = failing.start_mark
    return f"{source}:{mark.line + 1}:{mark.column + 1}: cannot read this value: {_clip(reason)}"


def _walk(root: Any) -> Iterable[Any]:
    """Every node once, in document order (for error paths only)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(_children(node)))


def _node_at(root: Any, mark: Any) -> Any:
    if root is None or mark is None:
        return None
    for node in _walk(root):
        if (node.start_mark.line, node.start_mark.column) == (mark.line, mark.column) and node.id != "scalar":
            return node
    return None


class _ShortRepr(reprlib.Repr):
    """repr() for messages: a few items, a few levels, and no number too long to print."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdict = 4
        self.maxstring = self.maxother = SHOWN_CHARS
        self.maxlong = 40

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:  # repr() of a 5,000-digit int raises ValueError
            return f"a number of about {int(x.bit_length() * 0.30103) + 1:,} digits"
        return super().repr_int(x, level)

    def repr_bytes(self, x: bytes, level: int) -> str:
        return repr(x[:SHOWN_CHARS]) + ("..." if len(x) > SHOWN_CHARS else "")


_SHORT_REPR = _ShortRepr()


def _show(value: Any) -> str:
    """repr(value) cut to about SHOWN_CHARS characters, however large or nested the value."""
    return _clip(_SHORT_REPR.repr(value))


def _clip(text: str, limit: int = SHOWN_CHARS) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(value: Any) -> str:
    """A key or id as a message shows it between quotes: text as it is, anything else
    as its short repr, and never more than about SHOWN_CHARS characters."""
    return _clip(value) if isinstance(value, str) else _show(value)


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _mapping_lines(node: Any) -> tuple[dict[Any, int], list[tuple[Any, int]]]:
    """Line of each (text) key in a mapping node, and any keys that appear twice."""
    lines: dict[Any, int] = {}
    repeats: list[tuple[Any, int]] = []
    for key_node, _ in node.value:
        key = key_node.value
        if not isinstance(key, str):  # a list or mapping as a key never gets this far
            continue
        if key in lines:
            repeats.append((key, _line(key_node)))
        else:
            lines[key] = _line(key_node)
    return lines, repeats


def _value_node(mapping_node: Any, key: str) -> Any:
    """The node of a key's value; the last one if the key is repeated, as in the data."""
    found = None
    for key_node, value_node in mapping_node.value:
        if key_node.value == key:
            found = value_node
    return found

