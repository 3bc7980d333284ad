"""The engine: which rules are on, running them on a document, and linting paths.

Parsing, checking, suppression and reporting stay apart: a :class:`Document` is built once per
file, every active rule reads it, then suppression and per-file ignores filter the findings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.config import ConfigError, Settings
from healthlint.document import Document
from healthlint.files import InputError, Skipped, Source, discover, glob_matches, is_excluded, parse_source, relative_posix, source_bytes
from healthlint.findings import SEVERITIES, Finding
from healthlint.rules import Rule, RuleSet, load_builtin, load_packs
from healthlint.suppression import Suppressions, selector_matches

if TYPE_CHECKING:
    from healthlint.cache import ResultCache

_EXCERPT_MAX = 200


def load_ruleset(settings: Settings) -> RuleSet:
    """The built-in packs plus the team's ``extend-rules`` packs."""
    ruleset = load_builtin()
    return load_packs(settings.extend_rules, into=ruleset) if settings.extend_rules else ruleset


def _specificity(selector: str, rule: Rule) -> int:
    """How closely a selector names a rule: a name counts as its full code; -1 if it does not match."""
    if selector.lower() == rule.name:
        return len(rule.code)
    return len(selector) if selector and rule.code.startswith(selector.upper()) else -1


def unknown_selectors(ruleset: RuleSet, selectors: Iterable[str]) -> list[str]:
    """The selectors that name no rule of ``ruleset`` (a typo must not silently do nothing)."""
    return [s for s in selectors if not any(_specificity(s, r) >= 0 for r in ruleset)]


def is_enabled(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff's rule: the most specific matching selector wins; on a tie, ignore wins."""
    best_select = max((_specificity(s, rule) for s in select), default=-1)
    best_ignore = max((_specificity(s, rule) for s in ignore), default=-1)
    return best_select >= 0 and best_select > best_ignore


class Linter:
    """The active rules with their options, ready to lint documents."""

    def __init__(self, ruleset: RuleSet, settings: Settings) -> None:
        self.ruleset = ruleset
        self.settings = settings
        self._check_selectors("'select'", settings.select)
        self._check_selectors("'ignore'", settings.ignore)
        for glob, codes in settings.per_file_ignores.items():
            self._check_selectors(f"'per-file-ignores' entry '{glob}'", codes)
        self.rules = [r for r in ruleset if is_enabled(r, settings.select, settings.ignore)]
        self.severity: dict[str, str] = {}  # severities the config sets, by code
        self.options: dict[str, dict] = {}
        for key, opts in settings.rule_options.items():
            self._set_options(key, dict(opts))
        for rule in self.rules:
            self._validate_check_options(rule)

    def _check_selectors(self, what: str, selectors: Iterable[str]) -> None:
        unknown = unknown_selectors(self.ruleset, selectors)
        if unknown:
            where = self.settings.source or "config"
            raise ConfigError(f"{where}: {what} names unknown rule code, prefix or name '{unknown[0]}' (see 'healthlint rules')")

    def _set_options(self, key: str, opts: dict) -> None:
        rule = self.ruleset.get(key)
        where = self.settings.source or "config"
        if rule is None:
            raise ConfigError(f"{where}: 'rules' names unknown rule '{key}' (see 'healthlint rules')")
        severity = opts.pop("severity", None)
        if severity is not None:
            if severity not in SEVERITIES:
                raise ConfigError(f"{where}: rules.{key}.severity must be one of {', '.join(SEVERITIES)}")
            self.severity[rule.code] = severity
        tunables = rule.tunables
        for name, value in opts.items():
            if name not in tunables:
                allowed = ", ".join(["severity", *sorted(tunables)])
                raise ConfigError(f"{where}: rules.{key} has no option '{name}' (options: {allowed})")
            default = tunables[name]
            if default is None and name in _THRESHOLDS:
                if not _same_kind(0, value):
                    raise ConfigError(f"{where}: rules.{key}.{name} must be a number, not {value!r}")
            elif default is not None and not _same_kind(default, value):
                raise ConfigError(f"{where}: rules.{key}.{name} must be {type(default).__name__} like its default {default!r}")
        if opts:
            self.options.setdefault(rule.code, {}).update(opts)

    def _validate_check_options(self, rule: Rule) -> None:
        """Let a Python check reject configured options before any file is read.

        A check opts in by giving its function a ``validate_options(options)`` attribute that
        raises :class:`ConfigError`; checks without one are validated when they first run (the CLI
        reports a ConfigError raised then in the same way).
        """
        validate = getattr(getattr(rule.impl, "function", None), "validate_options", None)
        if validate is not None and rule.code in self.options:
            validate({**rule.tunables, **self.options[rule.code]})

    def lint(self, doc: Document) -> list[Finding]:
        """Every finding for ``doc``, after suppression and per-file ignores, sorted."""
        ignored = self._per_file_ignores(doc.path)
        findings: list[Finding] = []
        for rule in self.rules:
            if any(selector_matches(s, rule.code, rule.name) for s in ignored):
                continue
            configured = self.severity.get(rule.code)
            for hit in rule.run(doc, self.options.get(rule.code), self.settings):
                # A severity set in the config wins; otherwise a term's own severity beats the rule's.
                findings.append(to_finding(doc, rule, hit, configured or hit.severity or rule.severity))
        suppressions = Suppressions(doc)
        return sorted(suppressions.filter(findings))

    def _per_file_ignores(self, path: str) -> list[str]:
        if not self.settings.per_file_ignores:
            return []
        rel = relative_posix(Path(path), self.settings.base)
        return [c for glob, codes in self.settings.per_file_ignores.items() if glob_matches(rel, glob) for c in codes]


# Options that are thresholds are numbers even when their default is None (unset): metric min/max.
_THRESHOLDS = frozenset({"max", "min"})


def _same_kind(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def to_finding(doc: Document, rule: Rule, hit, severity: str) -> Finding:
    """Turn a rule's offsets into lines and columns of the original file."""
    line, column = doc.position(hit.start)
    end_line, end_column = doc.position(max(hit.end, hit.start))
    excerpt = " ".join(doc.text[hit.start:hit.end].split())
    if len(excerpt) > _EXCERPT_MAX:
        excerpt = excerpt[: _EXCERPT_MAX - 1] + "…"
    return Finding(
        path=doc.path, line=line, column=column, code=rule.code, end_line=end_line, end_column=end_column,
        rule=rule.name, severity=severity, message=hit.message, excerpt=excerpt, suggestion=hit.suggestion,
    )


@dataclass(slots=True)
class FileOutcome:
    """What one named or discovered file gave: an error, a note, or its findings (sorted) and summary."""

    path: str = ""
    error: str | None = None  # unusable input: exit status 2
    note: str | None = None  # a skipped file, for the user's information
    checked: bool = False
    findings: list[Finding] = field(default_factory=list)
    summary: dict | None = None  # the trust summary (JSON output)


@dataclass
class RunResult:
    """What a run over some paths produced, all in memory (:func:`lint_paths`)."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # unusable input: exit status 2
    notes: list[str] = field(default_factory=list)  # skipped files, for the user's information
    documents: list[dict] = field(default_factory=list)  # per-document summaries (JSON output)

    def add(self, outcome: FileOutcome) -> None:
        """Take in one file's outcome (outcomes come in report order: see :func:`iter_outcomes`)."""
        if outcome.error is not None:
            self.errors.append(outcome.error)
        elif outcome.note is not None:
            self.notes.append(outcome.note)
        elif outcome.checked:
            self.files_checked += 1
            self.findings.extend(outcome.findings)
            if outcome.summary is not None:
                self.documents.append({"path": outcome.path, "trust": outcome.summary})


def lint_paths(linter: Linter, paths: list[str], **options) -> RunResult:
    """Lint files, folders and ``-`` (stdin), keeping every result (options: :func:`iter_outcomes`)."""
    result = RunResult()
    for outcome in iter_outcomes(linter, paths, **options):
        result.add(outcome)
    return result


def iter_outcomes(linter: Linter, paths: list[str], *, stdin: bytes | None = None, stdin_filename: str = "-",
                  force_exclude: bool = False, summaries: bool = False, jobs: int | None = 1,
                  cache: ResultCache | None = None) -> Iterator[FileOutcome]:
    """Lint files, folders and ``-`` (stdin): one outcome per file, as soon as it is due.

    Paths that do not exist and files skipped while walking folders come first, in the order
    met; then every file in the order of its path, the order reports list findings in. So a
    reporter can write each file's findings and forget them, and memory stays flat however many
    files there are. Errors are collected, not raised. With ``summaries``, each document's trust
    summary (authorship, attribution, disclosure, currency) comes too, for editors auditing a
    whole site. ``jobs`` above 1 (None: one per CPU) lints in forked workers when there is enough
    to lint (the outcomes are the same as with 1); ``cache`` reuses the findings of files linted before with the
    same settings (stdin is never cached).
    """
    works: list[_Work] = []
    for item in _sources(paths, linter.settings, stdin_filename, force_exclude):
        if isinstance(item, InputError):
            yield FileOutcome(error=str(item))
        elif isinstance(item, Skipped):  # a FIFO or broken link met in a folder: a note, not an error
            yield FileOutcome(note=item.note)
        else:
            works.append(_Work(item))
    works.sort(key=lambda work: work.source.display)  # stable: a path met twice keeps its order
    ready = (_prepare(work, linter.settings, stdin, cache, summaries) for work in works)
    task = partial(_lint_work, linter, summaries)
    if jobs != 1 and len(works) > 1:
        from healthlint import parallel

        done = parallel.imap(task, ready, jobs=jobs or parallel.default_jobs(), size=_work_size, label=_work_label)
    else:
        done = ((work, task(work) if work.done is None else None) for work in ready)
    for work, outcome in done:
        yield _finish(work, outcome, cache)


@dataclass(slots=True)
class _Work:
    """A file to lint: its source, then its bytes and cache key, or its outcome when no linting is needed."""

    source: Source
    data: bytes = b""
    key: str | None = None
    done: FileOutcome | None = None


def _work_size(work: _Work) -> int:
    return 0 if work.done is not None else max(len(work.data), 1)


def _work_label(work: _Work) -> str:
    return work.source.display


def _prepare(work: _Work, settings: Settings, stdin: bytes | None, cache: ResultCache | None, summaries: bool) -> _Work:
    """Read a file and look it up in the cache; ``work.done`` is set when it needs no linting."""
    source = work.source
    try:
        work.data = source_bytes(source, stdin if source.path is None else None, settings.max_bytes)
    except InputError as exc:
        work.done = FileOutcome(source.display, error=str(exc))
        return work
    if cache is not None and source.path is not None:
        work.key = cache.key(source.display, work.data)
        entry = cache.get(work.key, source.display, need_summary=summaries)
        if entry is not None:
            summary = entry.summary if summaries else None
            work.done, work.data = FileOutcome(source.display, checked=True, findings=entry.findings, summary=summary), b""
    return work


def _lint_work(linter: Linter, summaries: bool, work: _Work) -> FileOutcome:
    """Parse and lint one file's bytes (in this process or a worker)."""
    doc = parse_source(work.source, work.data)
    if isinstance(doc, str):
        return FileOutcome(work.source.display, note=doc)
    summary = None
    if summaries:
        from healthlint.checks.trust import trust_summary

        summary = trust_summary(doc, linter.settings)
    return FileOutcome(work.source.display, checked=True, findings=linter.lint(doc), summary=summary)


def _finish(work: _Work, outcome: FileOutcome | None, cache: ResultCache | None) -> FileOutcome:
    """A file's outcome, cached when it was linted just now; its bytes are let go."""
    if outcome is None:
        outcome = work.done
    elif cache is not None and work.key is not None and outcome.checked:
        from healthlint.cache import Entry

        cache.put(work.key, Entry(outcome.findings, outcome.summary))
    work.data = b""
    return outcome


def _sources(paths: list[str], settings: Settings, stdin_filename: str,
             force_exclude: bool) -> Iterator[Source | InputError | Skipped]:
    """Every file to lint, once each (a file named twice, or inside a folder also named, is linted once)."""
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            named = stdin_filename != "-"
            if not (force_exclude and named and is_excluded(Path(stdin_filename), settings.exclude, settings.base)):
                yield Source(None, stdin_filename, explicit=True)
            continue
        for item in discover([raw], settings.exclude, settings.base, force_exclude):
            if isinstance(item, Source) and item.path is not None:
                key = os.path.realpath(item.path)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def lint_text(text: str | bytes, *, path: str = "document.md", select: list[str] | None = None,
              settings: Settings | None = None, ruleset: RuleSet | None = None) -> list[Finding]:
    """Lint one text in memory (for tests, scripts and editor integrations).

    ``path`` decides Markdown or plain text by its suffix and is the path findings report.
    Bytes are decoded as a file would be, so invalid UTF-8 is reported.
    """
    from healthlint.document import PLAIN_SUFFIXES
    from healthlint.files import decode

    settings = settings or Settings()
    if select is not None:
        settings.select = list(select)
    problems = []
    if isinstance(text, bytes):
        text, problems = decode(text)
    doc = Document(path, text, plain=Path(path).suffix.lower() in PLAIN_SUFFIXES, problems=problems)
    return Linter(ruleset or _builtin(), settings).lint(doc)


_BUILTIN: RuleSet | None = None


def _builtin() -> RuleSet:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = load_builtin()
    return _BUILTIN
