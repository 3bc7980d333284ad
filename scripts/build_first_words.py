#!/usr/bin/env python3
"""Write healthlint/data/trust-first-words.json: the first words of the trust family's phrases.

    python scripts/build_first_words.py

Run it after changing the phrase lists in healthlint/data/trust.yaml (tests/test_trust.py fails
until you do). healthlint reads the file so that a run need not parse every built-in phrase to
learn which words it can begin with (healthlint.checks.phrase_search); a phrase missing from the
file still works, only its first use is slower.
"""

from __future__ import annotations

from healthlint.checks.phrase_search import table_json
from healthlint.checks.trust import builtin_phrase_lists
from healthlint.checks.trust_data import FIRST_WORDS_FILE
from healthlint.datafiles import data_path


def main() -> None:
    path = data_path(FIRST_WORDS_FILE)
    path.write_text(table_json(builtin_phrase_lists()), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
