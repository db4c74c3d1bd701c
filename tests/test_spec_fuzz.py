"""A fuzzer of spec files (issue #13): valid specs from ``models/`` mutated in their YAML structure
(lines deleted, duplicated, swapped or re-indented; values retagged, replaced by another kind of
node, aliased, merged) and in their expressions (random token edits). ``validate`` must exit 0,
or 2 with one line naming the file and the line; never 1, never a traceback."""

from __future__ import annotations

import io
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.cli.app import main

MODELS = sorted((Path(__file__).resolve().parents[1] / "models").glob("*.yaml"))
TEXTS = {path.name: path.read_text() for path in MODELS}
_VALUE = re.compile(r"^(\s*(?:- )?[^#:\s][^:#]*:\s+)(\S.*?)(\s*#.*)?$")

NODES = ["[a, b]", "{a: 1}", "~", "true", "1e400", ".nan", "''", '"1/10 # note"', "&x [1, 2]", "*x",
         "&y 1", "*y", "{<<: {a: 1}}", "2001-12-14", "0x" + "f" * 40, "[" * 40 + "]" * 40, "? [a]", "|\n  1"]
TAGS = ["!foo ", "!!str ", "!!python/object/apply:os.system ", "!!set ", "!!binary ", "! ", "!!omap "]
TOKENS = ["+", "-", "*", "/", "**", "(", ")", ",", "p", "q", "c", "v", "0", "1", "0.5", "1e999", "9**9**9",
          "min(", "max(", "abs(", "#", "lambda", "None", "True", "\ufb01", "_x", "'", '"', ":", "[", "]",
          "{", "}", "&a", "*a", "!", "|", ">", "%", "\\", "\t", "\u00a0", "1/0", " "]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        match = _VALUE.match(line)
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "node", "tag", "tokens", "tokens"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif kind == "indent":
            lines[i] = ("  " + line) if draw(st.booleans()) else line[2:]
        elif match is None:
            continue
        elif kind == "node":
            lines[i] = match.group(1) + draw(st.sampled_from(NODES))
        elif kind == "tag":
            lines[i] = match.group(1) + draw(st.sampled_from(TAGS)) + match.group(2)
        else:  # random token edits of the value (an expression, a name, a flow collection)
            value = list(match.group(2))
            for _ in range(draw(st.integers(1, 4))):
                at = draw(st.integers(0, len(value)))
                edit = draw(st.sampled_from(["insert", "replace", "delete"]))
                token = draw(st.sampled_from(TOKENS))
                if edit == "insert" or not value:
                    value[at:at] = [token]
                elif edit == "replace":
                    value[min(at, len(value) - 1)] = token
                else:
                    del value[min(at, len(value) - 1)]
            lines[i] = match.group(1) + "".join(value)
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_specs_are_valid_or_refused_with_a_location(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["validate", str(path)])
    message = err.getvalue()
    assert code in (0, 2), message
    assert "Traceback" not in message and "internal error" not in message
    if code == 2:
        assert message.startswith(f"error: {path}:") and message.count("\n") == 1, message
        assert re.match(rf"error: {re.escape(str(path))}:\d+: ", message), message
