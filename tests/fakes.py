"""Fakes for the guided session: a clock that only moves when keys are read, and scripted keys."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TypeAlias

import pytest


class FakeClock:
    """A clock that moves only when told (or when ScriptedKeys waits)."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time


ScriptedKey: TypeAlias = str | BaseException | type[BaseException]


class ScriptedKeys:
    """Keys pressed at given clock times; waiting moves the fake clock instead of sleeping.

    A script value that is an exception (say KeyboardInterrupt) is raised at its time.
    Past `limit` seconds of fake time it raises RuntimeError, so a test never spins.
    """

    def __init__(
        self,
        clock: FakeClock,
        script: Mapping[float, ScriptedKey] | Iterable[tuple[float, ScriptedKey]] = (),
        limit: float = 24 * 3600.0,
    ) -> None:
        self.clock = clock
        pairs = script.items() if isinstance(script, Mapping) else script
        self.script = sorted(pairs, key=lambda pair: pair[0])
        self.limit = limit
        self.reads = 0

    def read(self, timeout: float) -> str | None:
        self.reads += 1
        until = self.clock.time + max(0.0, timeout)
        if self.script and self.script[0][0] <= until:
            at, key = self.script.pop(0)
            self.clock.time = max(self.clock.time, at)
            if isinstance(key, str):
                return key
            raise key
        self.clock.time = until
        if until > self.limit:
            raise RuntimeError("scripted session ran past its time limit")
        return None




class FakeNow:
    """The CLI's wall clock (`hiprot.cli.options.now`), moved on by the test."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def days(self, n: float) -> None:
        self.at += timedelta(days=n)


def fake_now(monkeypatch: pytest.MonkeyPatch, at: datetime) -> FakeNow:
    """Replace the CLI's clock with a FakeNow starting at `at`."""
    fake = FakeNow(at)
    monkeypatch.setattr("hiprot.cli.options.now", fake)
    return fake


def read_until(fd: int, text: str, timeout: float = 15.0) -> str:
    """Read a pseudo-terminal until `text` shows; everything read, as text."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"never saw {text!r} in {seen.decode(errors='replace')!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child is gone (EIO)
            chunk = b""
        if not chunk:
            raise AssertionError(f"output ended before {text!r}: {seen.decode(errors='replace')!r}")
        seen += chunk
    return seen.decode(errors="replace")
