"""Run the command line as ``python -m yujuesuan``."""

from yujuesuan.cli import run

run()
