"""Filter words on the command line: ``-key:value`` is a filter, not an option.

The query syntax shared by the CLI and the explorer (:mod:`ccgtui.query`)
excludes with ``-key:value`` (``-kind:scoping``).  Left alone, click reads such
a word as an option and fails (``No such option: -k``), so users had to put
filters after ``--``.  :class:`FilterCommand` is the command class for every
command with a FILTERS argument (``list``, ``search``, ``matrix``, ``export``):
before click parses the arguments it moves each ``-key:value`` word with a
known filter key behind a ``--``, where click takes it as an argument.  The
filters are the trailing variadic argument of these commands, so the move
only changes where they sit among themselves, never what they mean.

Everything else is click's: real options, unknown options and option typos
(``--formt``) still fail with click's usage error.  A word shaped like a
filter whose key is unknown (``-sectr:social-work``) fails too, naming the
filter keys and the nearest key or option; ``--kind:scoping`` says to use one
dash.

This module imports only click, so that ``ccgtui --help`` stays fast; the
filter keys come from :mod:`ccgtui.query`, imported only when a word looks
like a filter (the command imports it anyway then).
"""

from __future__ import annotations

import click


def _filter_shape(word: str) -> tuple[int, str] | None:
    """``(dashes, key)`` for ``-key:value`` or ``--key:value``, else ``None``.

    The key is letters only, as :func:`ccgtui.query.parse_query` requires.
    """
    dashes = 2 if word.startswith("--") else 1 if word.startswith("-") else 0
    key, colon, _ = word[dashes:].partition(":")
    return (dashes, key) if dashes and colon and key.isalpha() else None


def _excluded_word(word: str) -> bool:
    """``-word`` (two letters or more, no colon): a word ``ccgtui search`` must not find.

    A single letter (``-x``) stays an option, so a typo of one still fails clearly.
    """
    return len(word) > 2 and word[0] == "-" and word[1].isalnum() and ":" not in word


def _filter_keys() -> tuple[str, ...]:
    from ccgtui.query import FILTER_KEYS

    return FILTER_KEYS


class FilterCommand(click.Command):
    """A click command whose FILTERS argument takes ``-key:value`` without ``--``."""

    # ``search`` also takes ``-word`` (exclude hits with the word) in its free text.
    takes_excluded_words = False

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.pass_filters_through(ctx, args))

    def pass_filters_through(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``args`` with every ``-key:value`` filter moved behind a ``--``."""
        end = args.index("--") if "--" in args else len(args)
        head, tail = args[:end], args[end + 1 :]
        words = self.takes_excluded_words and any(_excluded_word(a) for a in head)
        if not words and not any(_filter_shape(a) for a in head):
            return args  # the common case: nothing to do, nothing imported
        keys = _filter_keys()
        short = {
            opt
            for param in self.get_params(ctx)
            for opt in (*param.opts, *param.secondary_opts)
            if len(opt) == 2 and opt[0] == "-" and opt[1] != "-"
        }
        kept: list[str] = []
        moved: list[str] = []
        for word in head:
            dashes, key = _filter_shape(word) or (0, "")
            excluded = self.takes_excluded_words and _excluded_word(word)
            if (dashes == 1 and key.lower() in keys) or (excluded and word[:2] not in short):
                moved.append(word)
            elif dashes == 1 and word[:2] not in short:
                raise click.UsageError(self._unknown_filter(ctx, word, key, keys), ctx)
            elif dashes == 2 and key.lower() in keys:
                raise click.UsageError(
                    f"no such option: {word!r}; to exclude cases, write {word[1:]!r} (one dash)",
                    ctx,
                )
            else:
                kept.append(word)  # a real option, its value, or an argument: click decides
        if not moved:
            return args
        return [*kept, "--", *moved, *tail]

    def _unknown_filter(
        self, ctx: click.Context, word: str, key: str, keys: tuple[str, ...]
    ) -> str:
        import difflib

        value = word.partition(":")[2]
        message = (
            f"{word!r} is neither an option nor a filter; filters are "
            f"{', '.join(f'{k}:' for k in keys)} (-key:value excludes)"
        )
        near_key = difflib.get_close_matches(key.lower(), keys, n=1)
        if near_key:
            return f"{message}. Did you mean -{near_key[0]}:{value}?"
        long_options = [
            opt[2:] for param in self.get_params(ctx) for opt in param.opts if opt.startswith("--")
        ]
        near_option = difflib.get_close_matches(key.lower(), long_options, n=1)
        if near_option:
            return f"{message}. Did you mean --{near_option[0]} {value}?"
        return message


class SearchCommand(FilterCommand):
    """``ccgtui search``: ``-word`` in the free text excludes hits with the word."""

    takes_excluded_words = True
