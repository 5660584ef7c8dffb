"""``landgov zones build``: bad options exit with code 2 and one line naming the problem."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("args", "words"), [
    (["--min-area", "-1"], "min_area_mu"),
    (["--source", "everything"], "sources"),
])
def test_bad_options_exit_2_with_a_reason(args, words):
    done = subprocess.run([sys.executable, "-m", "landgov", "zones", "build", *args],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and lines[0].startswith("错误")
