"""`portal --help` speaks one language: English, as Flask's own options beside it (the commands' output to the
operator stays Swedish, as the staff pages). Every command and option of ours says what it does."""

from __future__ import annotations

import re

import click
from flask import Flask

from portal.cli import cli

SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|för|att|som|av|med|till|dagens|inte)\b")


def _texts(command: click.Command, path: str) -> list[tuple[str, str]]:
    texts = [(path, command.help or command.short_help or "")]
    texts += [(f"{path} {param.opts[0]}", param.help or "") for param in command.params
              if isinstance(param, click.Option) and param.help is not None]
    for name, sub in getattr(command, "commands", {}).items():
        texts += _texts(sub, f"{path} {name}")
    return texts


def test_every_help_text_is_english_and_none_is_empty(app: Flask) -> None:
    ours = {name: command for name, command in app.cli.commands.items() if name != "limiter"}  # Flask-Limiter's
    texts = _texts(cli, "portal")
    texts += [text for name, command in ours.items() for text in _texts(command, f"portal {name}")]
    assert len(texts) > 50
    assert [path for path, text in texts if not text.strip()] == []
    assert [(path, text) for path, text in texts if SWEDISH.search(text)] == []
