"""The command line: ``healthlint check``, ``rules``, ``explain`` and ``--version``.

Exit status: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage, configuration or input
error. No traceback reaches the user: an internal error prints one line and a hint to rerun
with ``--debug``.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from healthlint import __version__
from healthlint.errors import ConfigError, PackError, WorkerError
from healthlint.severities import SEVERITIES

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

    from healthlint.config import Settings
    from healthlint.rules import Rule

# Start-up time counts (a pre-commit run lints one file): modules that compile patterns, make
# dataclasses or parse YAML (config, rules, the engine and what they import) load in _setup,
# after the start-up caches are in place.

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "github", "sarif")


class UserError(click.ClickException):
    """A problem with the user's input or configuration: one line, exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        click.echo(f"healthlint: error: {self.message}", err=True)


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [c for v in values for c in v.replace(",", " ").split()]


def _setup(config: str | None, *, cache_patterns: bool = False) -> tuple[Settings, object]:
    """Settings and rule set, with configuration and pack problems turned into user errors.

    With ``cache_patterns``, regular expressions compiled from here on (markdown-it's, the rule
    packs', the lexicons') use the compiled-pattern cache in ``.healthlint_cache/``, the rule
    packs and data files the parsed-YAML cache there, and dataclasses the generated-code cache.
    """
    from pathlib import Path

    from healthlint.configfile import locate_config, settings_base

    try:
        cwd = Path.cwd()
        path = locate_config(config, cwd)
        if cache_patterns:  # like __pycache__: never changes a result, so --no-cache keeps it
            from healthlint import dataclass_cache, regex_cache, yaml_cache
            from healthlint.cachedir import cache_folder

            folder = cache_folder(settings_base(path, cwd))
            for cache in (regex_cache, yaml_cache, dataclass_cache):
                cache.install(folder)
        from healthlint.config import settings_from

        settings = settings_from(path, cwd)
        from healthlint.engine import load_ruleset

        return settings, load_ruleset(settings)
    except (ConfigError, PackError) as exc:
        raise UserError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="healthlint", message="%(prog)s %(version)s")
def cli() -> None:
    """healthlint: a linter for health writing.

    It points, line by line, at what a careful medical editor would catch: claims stated as
    certain with no source, missing disclaimers, condition names that do not exist, and text
    too hard for patients to read.

    \b
    Examples:
      healthlint check drafts/             lint every Markdown and text file in drafts/
      healthlint check --format json a.md  machine-readable output
      healthlint explain HL301             what a rule checks and how to fix it
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format: text for people, json for tools, github for Actions annotations, sarif for code scanning.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes, prefixes (HL1) or names, comma-separated. Replaces the config's select and ignore.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Turn these rules off (added to the config's ignore). The most specific code wins: --select HL4 --ignore HL402.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit status 1 [default: warning, or the config's fail-on].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means healthlint failed).")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Config file to use instead of searching for .healthlint.yaml or pyproject.toml.")
@click.option("--stdin-filename", default=None, metavar="NAME",
              help="The path to report when reading stdin ('-'); with no PATHS, stdin is read.")
@click.option("--force-exclude", is_flag=True, help="Apply the config's exclude globs to files named on the command line too (for pre-commit).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, without the summary line.")
@click.option("--changed-since", metavar="REF", default=None,
              help="Report only findings on lines added or changed since the git REF (branch, tag or commit), plus whole-article findings of files that changed.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Report only findings that this baseline file (made by --write-baseline) does not record.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="Record the current findings in this file, print nothing else, and exit 0.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings (text and json formats).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint in N processes at once [default: the number of CPUs]; the output is the same for any N.")
@click.option("--no-cache", is_flag=True, help="Lint every file afresh, without reading or writing cached results (.healthlint_cache/).")
@click.option("--debug", is_flag=True, help="Show the full traceback if healthlint itself fails.")
def check(**options) -> int:
    """Lint files and folders (default: the current folder); '-' reads stdin.

    \b
    Examples:
      healthlint check                          everything under the current folder
      healthlint check drafts/eczema.md         one article
      healthlint check --select HL1,HL3 drafts/ only the claims and terms families
      cat draft.md | healthlint check - --stdin-filename draft.md
      healthlint check --format github --fail-on error content/
    """
    filters = _filters(options["changed_since"], options["baseline_file"], options["write_baseline"],
                       options["statistics"], options["fmt"])
    try:
        settings, ruleset = _setup(options["config"], cache_patterns=True)
        return _check(settings, ruleset, filters, **options)
    finally:
        from healthlint import dataclass_cache, regex_cache, yaml_cache

        for cache in (regex_cache, yaml_cache, dataclass_cache):
            cache.save()
            cache.uninstall()


def _check(settings: Settings, ruleset, filters, *, paths, fmt, select, ignore, fail_on, exit_zero, stdin_filename, force_exclude,
           output_file, quiet, write_baseline, statistics, jobs, no_cache, **_) -> int:
    """The body of ``check`` once settings and rule packs are loaded."""
    from healthlint.engine import Linter, iter_outcomes

    _apply_selection(settings, ruleset, _split_codes(select), _split_codes(ignore))
    try:
        linter = Linter(ruleset, settings)
    except ConfigError as exc:
        raise UserError(_config_message(settings, exc)) from None
    paths = list(paths) or (["-"] if stdin_filename else ["."])
    if output_file:
        _refuse_to_overwrite_input(output_file, paths)
    stdin = _read_stdin() if "-" in paths else None
    cache = None if no_cache else _open_cache(settings)
    if filters:
        filters.start(linter.rules, stdin, stdin_filename or "-")
    outcomes = iter_outcomes(linter, paths, stdin=stdin, stdin_filename=stdin_filename or "-", force_exclude=force_exclude,
                             summaries=fmt == "json" and not statistics, jobs=jobs, cache=cache)
    with _report_file(None if write_baseline else output_file) as out:
        tally = _report(outcomes, out, settings, linter, filters, fmt=fmt, statistics=statistics, summary=not quiet,
                        write_baseline=bool(write_baseline))
    if cache is not None and cache.problem:
        click.echo(f"healthlint: note: {cache.problem}", err=True)
    if write_baseline:
        from healthlint.finding_filters import FilterError

        try:
            click.echo(f"healthlint: {filters.record(tally.errors)}", err=True)
        except FilterError as exc:
            raise UserError(str(exc)) from None
        return EXIT_OK
    if tally.errors:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if tally.fails(fail_on or settings.fail_on) else EXIT_OK


def _report(outcomes, out, settings: Settings, linter, filters, *, fmt: str, statistics: bool, summary: bool,
            write_baseline: bool):
    """Report each file's findings as it is linted; the run's tally.

    Errors and notes go to standard error as they come; the report (none when recording a
    baseline) to ``out``.
    """
    from healthlint import reporters

    kind = reporters.Reporter if write_baseline else (reporters.STATISTICS_REPORTS if statistics else reporters.REPORTS)[fmt]
    report = kind(out, linter.rules if fmt == "sarif" else [], summary=summary)
    tally = reporters.Tally()
    try:
        for outcome in outcomes:
            if outcome.error is not None:
                click.echo(f"healthlint: error: {outcome.error}", err=True)
                tally.errors.append(outcome.error)
            elif outcome.note is not None:
                click.echo(f"healthlint: note: {outcome.note}", err=True)
                tally.notes.append(outcome.note)
            elif outcome.checked:
                findings = filters.apply(outcome.findings) if filters else outcome.findings
                tally.files_checked += 1
                tally.severities.update(f.severity for f in findings)
                report.add(findings, outcome)
    except ConfigError as exc:  # a check that validates its options when it first runs
        raise UserError(_config_message(settings, exc)) from None
    except (WorkerError, PackError) as exc:  # PackError: a team rule's pattern ran out of time (RuleTimeout)
        raise UserError(str(exc)) from None
    for note in filters.notes() if filters else ():
        click.echo(f"healthlint: note: {note}", err=True)
    report.finish(tally)
    return tally


def _filters(changed_since: str | None, baseline: str | None, write_baseline: str | None, statistics: bool, fmt: str):
    """The pull-request filters the options ask for (None when none is; their modules load only then)."""
    if not (changed_since or baseline or write_baseline or statistics):
        return None
    from healthlint.finding_filters import FilterError, Filters

    try:
        return Filters.from_options(changed_since_ref=changed_since, baseline=baseline, write_baseline=write_baseline,
                                    statistics=statistics, fmt=fmt)
    except FilterError as exc:
        raise UserError(str(exc)) from None


def _refuse_to_overwrite_input(output_file: str, paths: list[str]) -> None:
    """``-o`` must never replace an article being checked (named, or found in a named folder)."""
    from pathlib import Path

    from healthlint.document import LINT_SUFFIXES

    out = Path(output_file)
    if not out.exists():
        return
    target = out.resolve()
    for raw in paths:
        if raw == "-":
            continue
        path = Path(raw).resolve()
        named = target == path
        inside = path.is_dir() and path in target.parents and target.suffix.lower() in LINT_SUFFIXES
        if named or inside:
            raise UserError(f"{output_file}: is an article being checked; write the report to another file (-o report.txt)")


def _open_cache(settings: Settings):
    from healthlint.cache import open_cache

    return open_cache(settings)


def _apply_selection(settings: Settings, ruleset, select: list[str], ignore: list[str]) -> None:
    """Layer the command line over the config, as Ruff does.

    ``--select`` replaces the config's select and ignore (what is asked for on the command line is
    what runs); ``--ignore`` adds to whatever ignore is in force.
    """
    from healthlint.engine import unknown_selectors

    for option, values in (("--select", select), ("--ignore", ignore)):
        unknown = unknown_selectors(ruleset, values)
        if unknown:
            raise UserError(f"{option}: unknown rule code, prefix or name '{unknown[0]}' (see 'healthlint rules')")
    if select:
        settings.select, settings.ignore = select, []
    settings.ignore = [*settings.ignore, *ignore]


def _config_message(settings: Settings, exc: ConfigError) -> str:
    """A configuration error, naming the config file if the message does not already."""
    message = str(exc)
    source = str(settings.source) if settings.source else None
    return f"{source}: {message}" if source and not message.startswith(source) else message


def _read_stdin() -> bytes:
    """All of standard input, as bytes (decoded later like a file)."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None:
        raise UserError("-: there is no standard input to read")
    try:
        data = stream.read()
    except OSError as exc:
        raise UserError(f"-: cannot read standard input: {exc.strerror or exc}") from None
    return data.encode("utf-8") if isinstance(data, str) else data


@contextmanager
def _report_file(output_file: str | None) -> Iterator[TextIO]:
    """Where the report goes: standard output, or ``output_file``, replaced only once the report is whole."""
    if not output_file:
        yield sys.stdout
        sys.stdout.flush()
        return
    import io
    from pathlib import Path

    from healthlint.atomicfile import atomic_writer

    try:
        with atomic_writer(Path(output_file)) as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
            yield out
    except OSError as exc:
        raise UserError(f"{output_file}: cannot write the report: {exc.strerror or exc}") from None


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format.")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Config file (its extend-rules packs are listed too).")
def rules_command(fmt: str, config: str | None) -> int:
    """List every rule: code, name, severity and a one-line summary."""
    _, ruleset = _setup(config)
    if fmt == "json":
        import json

        data = [{"code": r.code, "name": r.name, "severity": r.severity, "family": r.family, "type": r.type,
                 "summary": r.summary, "source": r.source} for r in ruleset]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max((len(r.name) for r in ruleset), default=10)
    for r in ruleset:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary}")
    return EXIT_OK


@cli.command()
@click.argument("code")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Config file (to explain the team's own rules).")
def explain(code: str, config: str | None) -> int:
    """What a rule checks, why it matters, an example that triggers it, and the fix.

    CODE is a rule code (HL301) or name (invented-condition).
    """
    _, ruleset = _setup(config)
    rule = ruleset.get(code)
    if rule is None:
        raise UserError(f"unknown rule '{code}' (see 'healthlint rules')")
    click.echo(render_explanation(rule))
    return EXIT_OK


def render_explanation(rule: Rule) -> str:
    """The text of ``healthlint explain``."""
    import json
    import textwrap

    wrap = lambda t: "\n\n".join(textwrap.fill(" ".join(p.split()), 88) for p in t.strip().split("\n\n"))  # noqa: E731
    out = [f"{rule.code} {rule.name} ({rule.severity}, {rule.family})", "", wrap(rule.summary), "", wrap(rule.explanation)]
    if rule.bad:
        out += ["", "Triggers it:"] + [_example(e.text) for e in rule.bad]
    if rule.good:
        out += ["", "Does not trigger it:"] + [_example(e.text) for e in rule.good]
    tunables = {k: v for k, v in rule.tunables.items() if v is not None}
    out += ["", "Options (under 'rules:' in .healthlint.yaml):", f"  {rule.code}:", f"    severity: {rule.severity}"]
    out += [f"    {k}: {json.dumps(v)}" for k, v in tunables.items()]
    out += ["", f"Turn it off for one line with <!-- healthlint-disable-next-line {rule.code} -->.", f"Defined in {rule.source}:{rule.line}."]
    return "\n".join(out)


def _example(text: str) -> str:
    return "  " + text.strip().replace("\n", "\n  ")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into a one-line message and exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=args, prog_name="healthlint", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("healthlint: aborted", err=True)
        code = EXIT_ERROR
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place where every failure becomes one line
        if "--debug" in args:
            raise
        detail = " ".join(str(exc).split())
        click.echo(f"healthlint: internal error: {type(exc).__name__}: {detail} (rerun with --debug for the traceback)", err=True)
        code = EXIT_ERROR
    sys.stdout.flush()
    status = code if isinstance(code, int) else EXIT_OK
    if argv is None:  # the command itself, not a caller in the same process (tests)
        _exit_without_cleanup(status)
    sys.exit(status)


def _exit_without_cleanup(status: int) -> None:
    """End the process now, as mypy does, when nothing is left to clean up; else return.

    A normal exit frees every object the run made (the word lists, the parsed packs): ~12 ms of
    a one-file run. Output is flushed first; a run that started worker processes or threads
    exits the usual way so that they are joined.
    """
    import os

    threading = sys.modules.get("threading")
    if "multiprocessing" in sys.modules or "concurrent.futures" in sys.modules or (threading and threading.active_count() > 1):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: let the usual exit deal with it
        return
    os._exit(status)
