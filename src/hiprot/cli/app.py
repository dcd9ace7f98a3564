"""The Typer app, the options commands share, error wording and output. No command here.

Errors from the core (`HiprotError`) carry data; they are caught once, in
`_Group.invoke`, worded here with the flags a person typed (`explain`), printed on stderr,
and the exit code is 1. Usage mistakes are Typer's own (exit 2); Ctrl-C is 130.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from hiprot import __version__
from hiprot.errors import HiprotError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from hiprot.report import Reporter


class _Group(TyperGroup):
    """Turns a HiprotError or OSError into a one-line message and exit 1, Ctrl-C into 130.

    Subcommands in `lazy` are built from their Typer definitions only when asked for:
    `hiprot routine` builds one command's options, `hiprot --version` none.
    """

    lazy: dict[str, Any] = {}  # noqa: RUF012  (replaced per instance by _LazyTyper)
    listing = False  # True while --help lists the commands: a name and its help suffice

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*self.commands, *(name for name in self.lazy if name not in self.commands)]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name not in self.commands and cmd_name in self.lazy:
            info = self.lazy[cmd_name]
            if self.listing:
                return _listed(cmd_name, info)
            from typer.main import get_command_from_info

            self.commands[cmd_name] = get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=app.rich_markup_mode
            )
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:
            _visible_usage(exc)
            raise

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # Typer's Context is click's
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or closed pipe shows up here, not at exit
            return result
        except HiprotError as exc:
            fail(explain(exc))
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(1) from None
        except OSError as exc:
            fail(os_error(exc))
        except Exception as exc:  # a usage error: Click prints it, with what was typed made visible
            _visible_usage(exc)
            raise


def _listed(name: str, info: Any) -> Any:
    """A command as --help lists it (name and help), without building its options."""
    import inspect

    from typer.core import TyperCommand

    text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
    return TyperCommand(name=name, help=text, short_help=info.short_help, hidden=info.hidden,
                        deprecated=info.deprecated, rich_help_panel=info.rich_help_panel)  # fmt: skip


def ask_pain(question: str) -> int | None:
    """Pain 0-10 from the person at the terminal; Enter skips; anything else asks again."""
    from hiprot.limits import PAIN_MAX, PAIN_MIN

    while True:
        try:
            answer = input(f"{question}, {PAIN_MIN}-{PAIN_MAX} (Enter to skip): ").strip()
        except EOFError:  # Ctrl-D: no answer, and the cursor to a fresh line
            typer.echo()
            return None
        if not answer:
            return None
        # isdigit() is true for '²' and other digits int() refuses: only ASCII 0-9 count.
        if answer.isascii() and answer.isdigit() and PAIN_MIN <= int(answer) <= PAIN_MAX:
            return int(answer)
        typer.echo(f"A whole number from {PAIN_MIN} (none) to {PAIN_MAX} (worst), or Enter to skip.", err=True)


def fail(message: str) -> NoReturn:
    from hiprot.text import visible

    typer.echo(f"Error: {visible(message)}", err=True)  # it may quote what a person typed
    raise typer.Exit(1)


def _visible_usage(exc: Exception) -> None:
    """Click quotes the value it refused ("'\\x1b[2J' is not one of ..."): make it visible.

    Duck-typed: a Click exception has a `message` (Typer vendors Click, so its class is
    not importable the same way across Typer releases)."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and hasattr(exc, "exit_code"):
        from hiprot.text import visible

        exc.message = visible(message)  # type: ignore[attr-defined]
        hint = getattr(exc, "param_hint", None)
        if isinstance(hint, str):
            exc.param_hint = visible(hint)  # type: ignore[attr-defined]


def _silence_stdout() -> None:
    """A reader that went away (`hiprot list | head`) is not an error worth a word."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def os_error(exc: OSError) -> str:
    """'PATH: reason' for any OSError, in one line."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = exc.filename if exc.filename is not None else "standard output"
    return f"{where}: {reason}."


def explain(exc: HiprotError) -> str:
    """The message for a core error, with the command-line flags that would fix it."""
    from hiprot.cli.words import explain as words

    return words(exc)


class _LazyTyper(typer.Typer):
    """A Typer app whose subcommands are built on first use (see _Group).

    Typer builds every command's parameters on each run, even for --version; with eight
    commands that was most of a fast command's own time. Tests go through
    typer.main.get_command, which still builds them all.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from typer.main import get_command, get_command_name

        infos, self.registered_commands = self.registered_commands, []
        try:
            group = get_command(self)
        finally:
            self.registered_commands = infos
        assert isinstance(group, _Group)
        group.lazy = {info.name or get_command_name(info.callback.__name__): info for info in infos if info.callback}
        return group(*args, **kwargs)


app = _LazyTyper(
    cls=_Group,
    name="hiprot",
    help=(
        "Build safe, well-dosed hip internal rotation routines from a source-cited "
        "exercise catalogue.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  hiprot routine --goal warmup\n"
        "  hiprot routine --goal warmup --avoid hip-replacement\n"
        "  hiprot go --goal warmup\n"
        "  hiprot list --position lying --equipment none\n"
        "  hiprot show clamshell"
    ),
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
)


def reporter(name: str) -> Reporter:
    """The reporter for a format name (see the registry, hiprot.cli.formats)."""
    from hiprot.cli.formats import reporter as find

    return find(name)


def emit(rendered: str | RenderableType) -> None:
    """Text goes to stdout as it is; a Rich renderable through a plain console."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        console().print(rendered)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Catalogue text arrives as rich.text.Text; nothing printed needs markup or emoji codes.
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"hiprot {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Build safe, well-dosed hip internal rotation routines."""
