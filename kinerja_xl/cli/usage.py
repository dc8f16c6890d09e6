"""typer's own words (usage line, help headings, ``[default: …]``, usage errors) in the user's language.

Why subclasses and not a gettext catalogue: typer (≥ 0.26) carries its own
copy of click whose messages are plain f-strings, no longer gettext calls,
and the few strings typer itself marks for gettext go through the process'
global domain, which follows the OS locale (unset on most Windows machines),
so no catalogue could be chosen per run. Patching private module names
breaks silently on the next typer release. What stays is click's public,
documented extension points: a ``HelpFormatter`` subclass (headings, usage
prefix, the ``[default: …]`` note, the help option's text), the command
classes that use it, and the top-level ``main`` that renders usage errors
from the exceptions' fields (which parameter, which option, which choices)
instead of from their English text.

The language is ``--lang`` when it is on the command line (usage errors
happen before options are parsed), Indonesian otherwise.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any, Sequence

import typer
from typer.core import TyperCommand, TyperGroup
from kinerja_xl.i18n import N_, NP_, gettext_for, translate

# typer 0.26 moved click inside itself (typer._click, "subject to change"); older typer uses the click
# package. The classes are reached through typer's public names so that either works.
Context = TyperCommand.context_class
HelpFormatter = Context.formatter_class


def _base(name: str) -> type:
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


UsageError = _base("UsageError")
ClickException = _base("ClickException")


def _is(exc: BaseException, name: str) -> bool:
    """``isinstance`` by class name: MissingParameter, NoSuchOption… are not public in typer."""
    return any(c.__name__ == name for c in type(exc).__mro__)


_WORDS = {
    "Usage": N_("Pemakaian"),
    "Arguments": N_("Argumen"),
    "Options": N_("Opsi"),
    "Commands": N_("Perintah"),
    "OPTIONS": N_("[OPSI]"),
    "COMMAND": N_("PERINTAH [ARG]..."),
    "default": N_("bawaan"),
    "required": N_("wajib"),
    "help": N_("Tampilkan bantuan ini lalu keluar."),
    "try": N_("Coba '{cmd} {opt}' untuk bantuan."),
    "error": N_("Galat"),
}

# click's own help text for --help, replaced by ours
_CLICK_HELP = "Show this message and exit."

#: set by ``KxGroup.main`` from the command line before anything is printed
_lang = ["id"]


def lang_of(args: Sequence[str]) -> str:
    """``en`` when ``--lang en`` (or ``--lang=en``) is among the arguments, else ``id``."""
    args = list(args)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "id"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "id"
    return "id"


def word(key: str) -> str:
    return translate(_WORDS[key], _lang[0])


# the bracket typer appends to an option's help: "[default: human]", "[required]", "[default: x; required]"
_NOTE = re.compile(r"\[((?:default: [^\]]*|required|env var: [^\]]*)(?:; (?:default: [^\]]*|required|env var: [^\]]*))*)\]\s*$")


def _localise_note(help_text: str) -> str:
    m = _NOTE.search(help_text)
    if not m:
        return help_text
    parts = []
    for part in m.group(1).split("; "):
        if part.startswith("default: "):
            parts.append(f"{word('default')}: {part[len('default: '):]}")
        elif part == "required":
            parts.append(word("required"))
        else:
            parts.append(part)
    return help_text[: m.start()] + "[" + "; ".join(parts) + "]"


# typer's placeholder for an argument's Python type (`<list[Path]>`, `<str>`), printed beside the argument's own name
_PY_TYPE = re.compile(r" <(?:list\[)?(?:Path|path|file|directory|str|int|float|bool)\]?>$")


class KxHelpFormatter(HelpFormatter):
    """click's formatter with the headings, usage prefix and notes in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", word("OPTIONS")).replace("COMMAND [ARGS]...", word("COMMAND"))
        args = re.sub(r"\{([^{}]+)\}", r"\1", args)  # typer marks a required argument {BERKAS}; click writes BERKAS
        super().write_usage(prog, args, prefix=f"{word('Usage')}: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(word(heading) if heading in _WORDS else heading)

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_PY_TYPE.sub("", term), word("help") if text == _CLICK_HELP else _localise_note(text))
                for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class KxContext(Context):
    formatter_class = KxHelpFormatter


class KxCommand(TyperCommand):
    context_class = KxContext


class KxGroup(TyperGroup):
    """The ``kinerja-xl`` group: its subcommands and sub-groups format help the same way."""

    context_class = KxContext
    command_class = KxCommand

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        _lang[0] = lang_of(argv)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except UsageError as exc:
            if _is(exc, "NoArgsIsHelpError"):  # a bare `kinerja-xl`: the help, as click shows it
                exc.show()
            else:
                show_usage_error(exc)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            typer.echo(f"kinerja-xl: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(translate(N_("kinerja-xl: dibatalkan."), _lang[0]), err=True)
            sys.exit(1)
        # typer returns the exit code of a typer.Exit, or the command's own return value (None: success)
        sys.exit(rv if isinstance(rv, int) else 0)


def _hint(param: Any) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "option":
        return " / ".join(param.opts)
    return param.metavar or (param.name or "").upper()


def _type_name(param: Any) -> str:
    """``int``, ``float``, ``bool``… of a parameter, in typer's own model or click's."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type):
        return annotation.__name__
    name = getattr(getattr(param, "type", None), "name", "")
    return {"integer": "int", "boolean": "bool"}.get(name, name)


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices is None:
        desc = getattr(param, "type_descriptor", None)
        choices = getattr(desc, "choices", None) if getattr(desc, "is_choice", False) else None
    return [str(getattr(c, "value", c)) for c in choices or ()]


def usage_error_text(exc: Exception, lang: str | None = None) -> str:
    """One sentence for a usage error, built from the exception's fields."""
    _ = gettext_for(lang or _lang[0])
    param = getattr(exc, "param", None)
    hint = _hint(param)
    if _is(exc, "MissingParameter"):
        kind = getattr(exc, "param_type", None) or getattr(param, "param_type_name", "")
        if kind == "option":
            return _("Opsi {hint} belum diberikan.").format(hint=hint)
        return _("Argumen {hint} belum diberikan.").format(hint=hint)
    if _is(exc, "NoSuchOption"):
        text = _("Opsi {name} tidak dikenal.").format(name=exc.option_name)
        best = difflib.get_close_matches(exc.option_name, list(exc.possibilities or ()), n=1)
        if best:
            text += _(" Maksudnya {name}?").format(name=best[0])
        return text
    if _is(exc, "BadParameter"):
        choices = _choices(param)
        where = f" {hint}" if hint else ""
        if choices:
            return _("Nilai{where} tidak sah; pilih salah satu: {choices}.").format(where=where, choices=", ".join(choices))
        need = {"int": N_("harus bilangan bulat"), "float": N_("harus berupa angka"),
                "bool": N_("harus true atau false")}.get(_type_name(param))
        if need:
            return _("Nilai{where} tidak sah: {need}.").format(where=where, need=_(need))
        return _("Nilai{where} tidak sah.").format(where=where)
    if _is(exc, "BadOptionUsage"):
        return _("Opsi {name} memerlukan nilai.").format(name=exc.option_name)
    if _is(exc, "BadArgumentUsage"):
        extra = re.search(r"\((.*)\)", exc.format_message())
        what = extra.group(1) if extra else ""
        # click's wording differs from the case below; Indonesian says both the same way
        return translate(NP_("argumen", "Argumen berlebih: {what}."), lang or _lang[0]).format(what=what)
    extra = re.match(r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)$", exc.format_message())
    if extra:
        return _("Argumen berlebih: {what}.").format(what=extra.group(1))
    name = re.match(r"No such command '(.*)'\.", exc.format_message())
    if name:
        return _("Perintah '{name}' tidak dikenal.").format(name=name.group(1))
    if exc.format_message() == "Missing command.":
        return _("Perintah belum diberikan.")
    return exc.format_message()


def show_usage_error(exc: Any) -> None:
    """Usage line, the help hint and the error, like click prints them, in the user's language; on stderr."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(word("try").format(cmd=ctx.command_path, opt=ctx.help_option_names[0]))
        lines.append("")
    lines.append(f"{word('error')}: {usage_error_text(exc)}")
    typer.echo("\n".join(lines), err=True)
