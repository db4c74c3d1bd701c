"""Hostile spec files (issue #13, the input side): each attack is a contract test of the command
line, run in a subprocess limited to 1 GB of address space and 20 s: exit status 2, one line
naming the file (and the line and key where there is one) and the reason, no traceback, nothing
left on disk."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from test_spec import line_of, write

from intelgame.spec import load_spec, parse_expression, parse_spec, resolve_parameters
from intelgame.spec.limits import SpecLimits

REPO = Path(__file__).resolve().parents[1]
BEER_QUICHE = (REPO / "models" / "beer_quiche.yaml").read_text()
HEAD, BODY = BEER_QUICHE.split("description:")[0], "parameters:" + BEER_QUICHE.split("parameters:", 1)[1]
MEMORY = 1 << 30
SECONDS = 20


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    """``python -m intelgame.cli ARGS`` from the repository, within 1 GB and 20 s."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "intelgame.cli", *args], cwd=REPO, capture_output=True,
                            text=True, timeout=SECONDS, preexec_fn=_limit, env={**os.environ, **(env or {})})
    return result.returncode, result.stdout, result.stderr, time.monotonic() - start


def assert_refused(path: Path | str, *fragments: str, line: int | None = None, key: str | None = None,
                   env: dict[str, str] | None = None, seconds: float = SECONDS) -> str:
    """``validate PATH`` exits 2 with one line naming the file, ``line`` and ``key``."""
    folder = Path(path).parent
    before = sorted(folder.iterdir()) if folder.is_dir() and str(folder) != "/dev" else None
    code, out, err, elapsed = run_cli("validate", str(path), env=env)
    assert code == 2, err
    assert out == "" and "Traceback" not in err and "internal error" not in err
    message = err.rstrip("\n")
    assert "\n" not in message and message.startswith("error: ") and len(message) < 700, message
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in message, message
    if key is not None:
        assert f"(key '{key}')" in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert elapsed < seconds, f"{elapsed:.1f} s"
    if before is not None:
        assert sorted(folder.iterdir()) == before  # nothing left behind
    return message


def spec_file(tmp_path: Path, text: str) -> Path:
    return write(tmp_path, text, "spec.yaml")


# --- files that are not spec files ------------------------------------------------------------

@pytest.mark.parametrize(("device", "kind"), [("/dev/zero", "character device"),
                                              ("/dev/urandom", "character device")])
def test_devices_are_refused_without_reading(device: str, kind: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert_refused(device, "not a regular file", kind, seconds=10)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    assert_refused(fifo, "FIFO", "not a regular file", seconds=10)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path, "directory", "not a regular file")


def test_a_file_over_the_byte_cap_is_refused_and_the_cap_can_be_raised(tmp_path: Path) -> None:
    text = BEER_QUICHE + "#" * (1 << 20) + "\n"
    path = spec_file(tmp_path, text)
    assert_refused(path, f"{len(text)} bytes", "larger than the limit of 1048576 bytes",
                   "INTELGAME_MAX_SPEC_BYTES")
    code, _, err, _ = run_cli("validate", str(path), env={"INTELGAME_MAX_SPEC_BYTES": str(2 << 20)})
    assert code == 0, err


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(BEER_QUICHE.replace("name: beer-quiche", "name: beer-\xff").encode("latin-1"))
    assert_refused(path, "not UTF-8", line=3)


def test_a_bad_limit_in_the_environment_is_refused(tmp_path: Path) -> None:
    path = spec_file(tmp_path, BEER_QUICHE)
    code, _, err, _ = run_cli("validate", str(path), env={"INTELGAME_MAX_SPEC_NODES": "lots"})
    assert code == 2 and "INTELGAME_MAX_SPEC_NODES" in err and "positive integer" in err



TWO_PARAMETERS = BEER_QUICHE.replace("parameters:", "parameters:\n  q: 1", 1)


@pytest.mark.parametrize(("command", "option", "value", "fragment"), [
    (["validate"], "--max-spec-bytes", "100", "larger than the limit of 100 bytes"),
    (["solve"], "--max-spec-nodes", "10", "more than 10 YAML nodes"),
    (["thresholds", "--in", "p"], "--max-spec-depth", "2", "limit of 2"),
    (["sweep", "--grid", "p=0:1:2", "--no-figure"], "--max-parameters", "1", "2 parameters"),
    (["persuade"], "--max-spec-bytes", "100", "limit of 100 bytes"),
    (["export"], "--max-spec-nodes", "10", "more than 10 YAML nodes"),
    (["import"], "--max-spec-bytes", "50", "limit of 50 bytes"),
], ids=lambda v: v[0] if isinstance(v, list) else None)
def test_every_command_that_reads_a_spec_takes_the_limit_options(tmp_path: Path, command: list[str], option: str,
                                                                   value: str, fragment: str) -> None:
    """Each limit is an option of every command reading a spec, and its refusal names the option."""
    if command == ["import"]:
        path = tmp_path / "game.efg"
        assert run_cli("export", "beer_quiche", "--out", str(path))[0] == 0
    else:
        path = spec_file(tmp_path, TWO_PARAMETERS)
    out = ["--out", str(tmp_path / "out")] if command[0] == "sweep" else []
    code, stdout, err, _ = run_cli(command[0], str(path), *command[1:], *out, option, value)
    assert code == 2 and stdout == "" and err.startswith(f"error: {path}") and err.count("\n") == 1, err
    assert fragment in err and f"raise it with {option} or INTELGAME_" in err, err
    assert not (tmp_path / "out").exists()


def test_an_option_raises_a_limit_over_its_environment_variable(tmp_path: Path) -> None:
    text = BEER_QUICHE + "#" * (1 << 20) + "\n"
    path = spec_file(tmp_path, text)
    small = {"INTELGAME_MAX_SPEC_BYTES": "1000"}
    code, _, err, _ = run_cli("validate", str(path), "--max-spec-bytes", str(2 << 20), env=small)
    assert code == 0, err
    code, _, err, _ = run_cli("validate", str(path), "--max-spec-bytes", "2000", env={"INTELGAME_MAX_SPEC_BYTES": str(2 << 20)})
    assert code == 2 and "limit of 2000 bytes" in err, err
    for option, value in [("--max-spec-depth", "201"), ("--max-parameters", "0")]:
        code, _, err, _ = run_cli("validate", str(path), option, value)
        assert code == 2 and err.startswith(f"error: {option}: expected a positive integer") and err.count("\n") == 1, err

# --- YAML: tags, merge keys, aliases, depth, documents -----------------------------------------

@pytest.mark.parametrize(("old", "new", "key", "shown"), [
    ("messages: [beer, quiche]", "messages: !foo [beer, quiche]", "messages", "!foo"),
    ("name: beer-quiche", "name: !!python/object/apply:os.system ['touch pwned']", "name",
     "!!python/object/apply:os.system"),
    ("messages: [beer, quiche]", "messages: !!set {beer, quiche}", "messages", "!!set"),
    ("name: beer-quiche", "name: !!binary aGVsbG8=", "name", "!!binary"),
    ("  weak: p\n", "  weak: !!str p\n", "types.weak", "!!str"),
])
def test_tags_are_refused(tmp_path: Path, old: str, new: str, key: str, shown: str) -> None:
    text = BEER_QUICHE.replace(old, new)
    message = assert_refused(spec_file(tmp_path, text), shown, "tags", "not allowed",
                             line=line_of(text, new.strip()), key=key)
    assert "Tagged" not in message and "Commented" not in message and "bytes" not in message
    assert not (REPO / "pwned").exists()


@pytest.mark.parametrize("merge", ["{<<: {duel: [1, -1]}, defer: [3, 0]}", "{<<: *row, defer: [3, 0]}",
                                   "{<<: 1, defer: [3, 0]}"])
def test_merge_keys_are_refused_by_line(tmp_path: Path, merge: str) -> None:
    text = BEER_QUICHE.replace("beer:   {duel: [0, 1], defer: [2, 0]}",
                               "beer:   &row {duel: [0, 1], defer: [2, 0]}")
    text = text.replace("beer:   {duel: [1, -1], defer: [3, 0]}", f"beer: {merge}")
    assert_refused(spec_file(tmp_path, text), "merge keys ('<<') are not allowed",
                   line=line_of(text, "<<"), key="payoffs.strong.beer.<<")


def test_an_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    """Billion laughs: nine levels of nine aliases (9**9 nodes expanded) in ``description``."""
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = HEAD + "description:\n" + "".join(f"  {level}\n" for level in levels) + BODY
    assert_refused(spec_file(tmp_path, text), "more than 50000 YAML nodes", "alias",
                   "INTELGAME_MAX_SPEC_NODES", seconds=10)


@pytest.mark.parametrize("alias", ["a: &a [1, *a]", "a: *nowhere"])
def test_recursive_and_undefined_aliases_are_refused(tmp_path: Path, alias: str) -> None:
    text = HEAD + f"description:\n  {alias}\n" + BODY
    assert_refused(spec_file(tmp_path, text), "names no complete anchor above it", line=5)


@pytest.mark.parametrize(("open_", "close"), [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused(tmp_path: Path, open_: str, close: str) -> None:
    text = HEAD + "description: " + open_ * 300 + "1" + close * 300 + "\n" + BODY
    assert_refused(spec_file(tmp_path, text), "nested 65 deep", "limit of 64", "INTELGAME_MAX_SPEC_DEPTH",
                   line=4)


def test_a_second_document_is_named(tmp_path: Path) -> None:
    text = BEER_QUICHE + "---\nname: other\n"
    message = assert_refused(spec_file(tmp_path, text), "a spec is one YAML document",
                             line=line_of(text, "---"))
    assert "but found another document" not in message


@pytest.mark.parametrize(("value", "kind"), [("[a, b]", "sequence"), ("{a: b}", "mapping")])
def test_keys_must_be_scalars(tmp_path: Path, value: str, kind: str) -> None:
    text = BEER_QUICHE.replace('  p: "1/10"', f'  p: "1/10"\n  ? {value}\n  : 1')
    assert_refused(spec_file(tmp_path, text), f"a key must be a name (a scalar), found a {kind}",
                   line=line_of(text, "?"), key="parameters.?")


@pytest.mark.parametrize("number", ["1" * 5000, "0x" + "f" * 5000])
def test_huge_integers_are_refused(tmp_path: Path, number: str) -> None:
    text = BEER_QUICHE.replace('p: "1/10"', f"p: {number}")
    assert_refused(spec_file(tmp_path, text), "too long", line=line_of(text, "p: "), key="parameters.p")


def test_a_character_yaml_forbids_is_located(tmp_path: Path) -> None:
    text = BEER_QUICHE.replace("name: beer-quiche", "name: beer\x07quiche")
    assert_refused(spec_file(tmp_path, text), "U+0007", line=3)


@pytest.mark.parametrize("name", ['"a\\0b"', '"\\e[2Jx"', '"x\\u202ey"'])
def test_names_with_control_characters_are_refused(tmp_path: Path, name: str) -> None:
    text = BEER_QUICHE.replace("messages: [beer, quiche]", f"messages: [beer, {name}]")
    message = assert_refused(spec_file(tmp_path, text), "control characters", line=line_of(text, "messages"),
                             key="messages[1]")
    assert message.isprintable()


# --- parameters and expressions ---------------------------------------------------------------

def test_too_many_parameters_are_refused(tmp_path: Path) -> None:
    many = "".join(f"  q{i}: {i}\n" for i in range(10_001))
    text = BEER_QUICHE.replace('  p: "1/10"', '  p: "1/10"\n' + many)
    assert_refused(spec_file(tmp_path, text), "10002 parameters, more than the limit of 10000",
                   "INTELGAME_MAX_PARAMETERS", line=line_of(text, "parameters:"), key="parameters")


def test_parameters_resolve_through_a_long_chain() -> None:
    """50,000 chained parameters resolve (each one copied the names above it before: 56 s; the
    speed is not asserted here, only the values)."""
    spec = parse_spec(BEER_QUICHE)
    chain = {"p": spec.parameters["p"]}
    for i in range(50_000):
        chain[f"q{i}"] = parse_expression(f"q{i - 1} + 1" if i else "p", file="f", line=i + 1, key=f"q{i}")
    values = resolve_parameters(replace(spec, parameters=chain))
    assert values["q49999"] == 49_999 + values["p"]  # type: ignore[operator]


def test_comment_text_inside_a_quoted_expression_is_refused(tmp_path: Path) -> None:
    text = BEER_QUICHE.replace('p: "1/10"', 'p: "1/10 # comment"')
    assert_refused(spec_file(tmp_path, text), "'#' is not allowed", line=line_of(text, "p: "), key="parameters.p")


@pytest.mark.parametrize(("name", "reason"), [
    ("lambda", "'lambda' is a reserved word (a Python keyword)"),
    ("None", "'None' is a reserved word (a Python keyword)"),
    ("\ufb01", "not in Unicode normal form NFKC (an expression reads it as 'fi')"),
    ("max", "'max' is a function"),
    ("_x", "may not start with '_'"),
])
def test_parameter_names_are_refused_with_the_real_reason(tmp_path: Path, name: str, reason: str) -> None:
    text = BEER_QUICHE.replace('  p: "1/10"', f'  p: "1/10"\n  {name}: 1')
    assert_refused(spec_file(tmp_path, text), reason, line=line_of(text, f"  {name}: 1"), key=f"parameters.{name}")


@pytest.mark.parametrize(("word", "reason"), [
    ("lambda", "'lambda' is a reserved word (a Python keyword)"),
    ("None", "reserved word 'None' is not allowed"),
    ("\ufb01", "name '\ufb01' is not in Unicode normal form NFKC (it reads as 'fi')"),
])
def test_names_in_expressions_are_refused_with_the_real_reason(tmp_path: Path, word: str, reason: str) -> None:
    text = BEER_QUICHE.replace("strong: 1 - p", f"strong: 1 - p + 0*{word}")
    assert_refused(spec_file(tmp_path, text), reason, line=line_of(text, "strong: 1 - p"), key="types.strong")


def test_unknown_parameter_without_parameters_lists_none(tmp_path: Path) -> None:
    text = BEER_QUICHE.replace('parameters:\n  p: "1/10"', "parameters: {}").replace("weak: p", "weak: q")
    text = text.replace("strong: 1 - p", "strong: 1 - q")
    message = assert_refused(spec_file(tmp_path, text), "the spec defines no parameters",
                             line=line_of(text, "weak: q"), key="types.weak")
    assert "defines: " not in message


def test_long_echoed_input_is_cut(tmp_path: Path) -> None:
    text = BEER_QUICHE.replace("messages: [beer, quiche]", 'messages: [beer, "' + "x" * 5000 + ' "]')
    message = assert_refused(spec_file(tmp_path, text), "invalid message name", "...",
                             line=line_of(text, "messages:"), key="messages[1]")
    assert len(message) < 700


def test_limits_in_python() -> None:
    """The limits are a value the library takes, as well as the environment's."""
    with pytest.raises(Exception, match="limit of 3"):
        parse_spec(BEER_QUICHE, limits=SpecLimits(max_depth=3))
    assert load_spec(REPO / "models" / "beer_quiche.yaml", limits=SpecLimits(max_bytes=10_000)).name == "beer-quiche"


def test_a_comment_the_yaml_reader_cannot_place_is_located(tmp_path: Path) -> None:
    """Found by the fuzzer: ruamel's round-trip reader raises NotImplementedError ("overlap in
    comment") on a block scalar's text under a key with a trailing comment."""
    text = ("intelgame: 1\nkind: signalling\nname: x\npayoffs:   # a comment\n  Cho, I.-K.\n\n"
            'parameters:\n  p: "1/10"\n')
    assert_refused(spec_file(tmp_path, text), "cannot place a comment", line=4)
