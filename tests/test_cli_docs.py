"""The README and --help stay in step with the commands that exist."""

import re

import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from jixiao.cli import app

runner = CliRunner()


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands() if f"jixiao {c}" not in readme]
    assert not missing, f"commands missing from README: {missing}"


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```bash") + 3]
    assert block[0].startswith("pip install . && jixiao report examples/changsha-kjj-2023.xlsx")
    assert block[1] == 'pip install -e ".[test]" && pytest -n 2'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert block[1] in ci, ".ci/run must run the README's test command"


def test_every_command_has_chinese_help():
    expected = {"template", "check", "evaluate", "report", "audit", "batch", "history", "compare", "serve"}
    assert expected <= set(_commands())
    for c in _commands():
        r = runner.invoke(app, [c, "--help"])
        assert r.exit_code == 0, (c, r.output)
        assert re.search(r"[\u4e00-\u9fff]", r.output), c


def test_unknown_command_is_a_usage_error():
    r = runner.invoke(app, ["no-such-command"])
    assert r.exit_code == 2
