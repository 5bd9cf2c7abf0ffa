"""The example in python/README.md runs as written."""

import re

from conftest import REPO


def test_readme_example_runs():
    text = (REPO / "python" / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
