"""Every CLI command is documented in the README (a test fails when one is not)."""

from pathlib import Path

from ficarchive.cli import build_parser

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_cli_command_is_in_the_readme():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        assert f"`ficarchive {name}" in README, name
