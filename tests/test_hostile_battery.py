"""A second held-out battery of hostile inputs (issue #13, "done means"): inputs of the families
the issue lists, none of them in the other hostile tests, each run through the command line's
entry point (:func:`intelgame.cli.app.main`) in a forked process limited to 1 GB of address space
beyond the test process's own (:func:`_address_space`) and 20 s of CPU. The contract: exit 0 or 2
(130 or 143 for a signal), on error one line ``error: ...`` naming the file, option or key, no
traceback, nothing executed, nothing left behind (no temporary file, no partial output, no new
folder).

The process is forked from the test process (the CLI's modules already imported) rather than
started afresh, so that 150 inputs run in well under a minute.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from intelgame.cli.app import main

REPO = Path(__file__).resolve().parents[1]
BQ = (REPO / "models" / "beer_quiche.yaml").read_text().split("\nexpect:")[0] + "\n"
PD = (REPO / "models" / "prisoners_dilemma.yaml").read_text()
MEMORY, CPU, WALL = 1 << 30, 20, 30.0
#: A file that code smuggled into an input would create (it must never exist).
MARKER = "PWNED"


@dataclass
class Case:
    """One hostile input: the command line (``{d}`` is the test's folder), the files to write
    there first, the exit statuses allowed, and a signal to send after ``delay`` seconds."""

    name: str
    argv: list[str]
    files: dict[str, str | bytes] = field(default_factory=dict)
    allowed: tuple[int, ...] = (0, 2)
    signal: int | None = None
    delay: float = 0.0
    where: tuple[str, ...] = ()  # fragments one of which the error must name (default: the spec, an option)


def spec(text: str) -> dict[str, str | bytes]:
    return {"g.yaml": text}


def bq(old: str, new: str) -> dict[str, str | bytes]:
    assert old in BQ, old
    return spec(BQ.replace(old, new, 1))


def payoff(expression: str) -> dict[str, str | bytes]:
    """Beer-Quiche with one payoff replaced by ``expression``."""
    return bq("beer:   {duel: [0, 1]", f"beer:   {{duel: ['{expression}', 1]")


def prior(expression: str) -> dict[str, str | bytes]:
    return bq('p: "1/10"', f"p: '{expression}'")


def names(kind: str, a: str, b: str) -> dict[str, str | bytes]:
    """Beer-Quiche with its two ``kind`` names (types, messages, actions) replaced."""
    old = {"types": ("weak", "strong"), "messages": ("beer", "quiche"), "actions": ("duel", "defer")}[kind]
    text = BQ.replace(old[0], "\0A").replace(old[1], "\0B")
    quote = lambda s: '"' + s.encode("unicode_escape").decode().replace('"', '\\"') + '"'  # noqa: E731
    return spec(text.replace("\0A", quote(a)).replace("\0B", quote(b)))


V = ["validate", "{d}/g.yaml"]
S = ["solve", "{d}/g.yaml"]
SW = ["sweep", "{d}/g.yaml", "--no-figure", "--out", "{d}/out"]

YAML = [
    Case("anchor-reused-payoffs", V, bq("  weak:\n    beer", "  weak: &w\n    beer").__or__({})),
    Case("alias-to-other-type", V, spec(BQ.replace("  weak:\n    beer", "  weak: &w\n    beer").replace(
        "  strong:\n    beer:   {duel: [1, -1], defer: [3, 0]}\n    quiche: {duel: [0, -1], defer: [2, 0]}",
        "  strong: *w"))),
    Case("merge-key-in-types", V, bq("types:\n  weak: p\n  strong: 1 - p", "base: &b {weak: p}\ntypes:\n  <<: *b\n  strong: 1 - p")),
    Case("tag-binary", V, bq("name: beer-quiche", "name: !!binary aGVsbG8=")),
    Case("tag-set", V, bq("messages: [beer, quiche]", "messages: !!set {beer, quiche}")),
    Case("tag-omap", V, bq("types:\n", "types: !!omap\n")),
    Case("tag-python-name", V, bq("name: beer-quiche", "name: !!python/name:os.system")),
    Case("tag-python-new", V, bq("name: beer-quiche", f"name: !!python/object/new:os.system ['touch {MARKER}']")),
    Case("tag-custom-on-payoff", V, bq("beer:   {duel: [0, 1]", "beer:   {duel: !x [0, 1]")),
    Case("tag-str-on-number", V, bq('p: "1/10"', "p: !!str 1/10")),
    Case("tag-float-on-prior", V, bq('p: "1/10"', "p: !!float 0.1")),
    Case("two-documents", V, spec(BQ + "---\nkind: normal\n")),
    Case("document-end-then-junk", V, spec(BQ + "...\n%%%% junk\n")),
    Case("yaml11-booleans-as-names", V, names("messages", "yes", "no")),
    Case("null-key", V, bq("types:\n  weak: p", "types:\n  ~: p")),
    Case("integer-key-type", V, bq("types:\n  weak: p", "types:\n  1: p")),
    Case("tab-indent", V, spec(BQ.replace("  weak: p", "\tweak: p"))),
    Case("bom-start", V, {"g.yaml": b"\xef\xbb\xbf" + BQ.encode()}),
    Case("crlf", V, {"g.yaml": BQ.replace("\n", "\r\n").encode()}),
    Case("nul-byte", V, {"g.yaml": BQ.encode().replace(b"beer-quiche", b"beer\x00quiche")}),
    Case("empty-file", V, spec("")),
    Case("only-comments", V, spec("# nothing\n# here\n")),
    Case("top-level-list", V, spec("- intelgame: 1\n- kind: signalling\n")),
    Case("top-level-scalar", V, spec("just a string\n")),
    Case("long-line", V, spec(BQ.replace("description: >-", "description: " + "x" * 900_000 + "\nold: >-"))),
    Case("flow-nesting-150", V, bq("name: beer-quiche", "name: beer-quiche\nextra: " + "[" * 150 + "]" * 150)),
    Case("alias-bomb-small-levels", V, spec("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                            "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" + BQ)),
    Case("version-2", V, bq("intelgame: 1", "intelgame: 2")),
    Case("version-string", V, bq("intelgame: 1", 'intelgame: "1"')),
    Case("no-kind", V, bq("kind: signalling\n", "")),
    Case("kind-extensive", V, bq("kind: signalling", "kind: extensive")),
    Case("unknown-top-key", V, spec(BQ + "evil: true\n")),
    Case("anchor-undefined", V, bq("messages: [beer, quiche]", "messages: *nothing")),
]

NAMES = [
    Case("bidi-override-type", S, names("types", "weak\u202e", "strong")),
    Case("escape-clear-screen", S, names("actions", "duel\x1b[2J", "defer")),
    Case("bell-in-message", S, names("messages", "beer\x07", "quiche")),
    Case("zero-width-joiner", S, names("types", "we\u200dak", "strong")),
    Case("combining-marks", S, names("messages", "be\u0301er", "quiche")),
    Case("nfkc-twins", V, names("types", "\ufb01", "fi")),
    Case("emoji-names", S, names("actions", "\U0001f4a5", "\U0001f54a")),
    Case("empty-name", V, names("messages", "", "quiche")),
    Case("long-name", V, names("types", "w" * 10_000, "strong")),
    Case("newline-name", V, names("actions", "du\nel", "defer")),
    Case("markup-name", S, names("types", "[bold]weak[/bold]", "[/]")),
    Case("percent-format-name", S, names("messages", "%s%n", "{0}")),
    Case("bracket-clash", S, names("types", "a][b", "a")),
    Case("rtl-names", S, names("types", "\u0636\u0639\u064a\u0641", "\u0642\u0648\u064a")),
    Case("same-name-twice", V, names("actions", "x", "x")),
    Case("c1-control", S, names("actions", "duel\x9b31m", "defer")),
    Case("parameter-named-keyword", V, spec(BQ.replace("p:", "class:", 1).replace("weak: p", "weak: class").replace(
        "strong: 1 - p", "strong: 1 - class"))),
    Case("parameter-named-dunder", V, spec(BQ.replace("p:", "__class__:", 1).replace("weak: p", "weak: __class__").replace(
        "strong: 1 - p", "strong: 1 - __class__"))),
]

NUMBERS = [Case(f"payoff-{i}", S, payoff(e)) for i, e in enumerate([
    "1e308*10", "1e-400", "10**10**10", "2**100000", "-0", "0x10", "1_000", ".5", "5.", "inf", "-inf", "nan",
    "1/0", "0/0", "1e400", "9" * 5000, "1/" + "3" * 900, "(-8)**(1/3)", "0**-1", "2**-2000"])] + [
    Case(f"prior-{i}", V, prior(e)) for i, e in enumerate(["0.3", "-1/10", "0", "1", "11/10", "1e-300", "nan", "1/3"])]

EXPRESSIONS = [Case(f"expr-{i}", V, payoff(e)) for i, e in enumerate([
    "(" * 5000 + "1" + ")" * 5000, "-" * 10_000 + "1", "+".join(["1"] * 50_000), "p**p**p**p**p",
    "abs(" * 1000 + "1" + ")" * 1000, "min()", "max(1)", "min(" + ",".join(["1"] * 5000) + ")", "if(1 < 2, 1)",
    "ind(1)", f"__import__(\"os\").system(\"touch {MARKER}\")", "p.__class__", "lambda: 1", "[1, 2]", "\"a\"",
    "p if 1 else 2", "p[0]", "p; 1", "1 +", "1 2", "p = 1", "a.value", "t.nothing"])]

PATHS = [
    Case("out-dev-null", S + ["--out", "/dev/null"], spec(BQ)),
    Case("out-under-file", S + ["--out", "{d}/g.yaml/x.json"], spec(BQ)),
    Case("out-is-folder", S + ["--out", "{d}"], spec(BQ)),
    Case("out-empty", S + ["--out", ""], spec(BQ)),
    Case("sweep-out-is-file", ["sweep", "{d}/g.yaml", "--grid", "p=0:1:3", "--no-figure", "--out", "{d}/g.yaml"], spec(BQ)),
    Case("sweep-out-proc", ["sweep", "{d}/g.yaml", "--grid", "p=0:1:3", "--no-figure", "--out", "/proc/x"], spec(BQ)),
    Case("export-out-nested", ["export", "beer_quiche", "--out", "{d}/a/b/c.efg"]),
    Case("import-missing", ["import", "{d}/none.efg"]),
    Case("import-folder", ["import", "{d}"]),
    Case("spec-missing", ["validate", "{d}/none.yaml"]),
    Case("spec-etc-passwd", ["validate", "/etc/passwd"]),
    Case("spec-relative-escape", ["validate", "../../../../../../etc/hostname"]),
    Case("spec-dash", ["validate", "-"]),
    Case("spec-glob", ["validate", "{d}/*.yaml"], spec(BQ)),
    Case("spec-symlink-loop", ["validate", "{d}/loop.yaml"]),
    Case("reproduce-out-file", ["reproduce", "--out", "{d}/g.yaml"], spec(BQ)),
]

OPTIONS = [
    Case("workers-negative", ["sweep", "beer_quiche", "--grid", "p=0:1:3", "--workers", "-1", "--out", "{d}/out"]),
    Case("max-points-zero", ["sweep", "beer_quiche", "--grid", "p=0:1:3", "--max-points", "0", "--out", "{d}/out"]),
    Case("max-work-zero", ["solve", "beer_quiche", "--max-work", "0"]),
    Case("max-work-nan", ["solve", "beer_quiche", "--max-work", "nan"]),
    Case("max-work-inf", ["solve", "beer_quiche", "--max-work", "inf"]),
    Case("max-work-1e400", ["solve", "beer_quiche", "--max-work", "1e400"]),
    Case("sweep-max-work-nan", ["sweep", "beer_quiche", "--grid", "p=0:1:3", "--max-work", "nan", "--out", "{d}/out"]),
    Case("curves-budget-negative", ["sweep", "beer_quiche", "--grid", "p=0:1:3", "--curves-budget", "-1", "--out", "{d}/out"]),
    Case("curves-budget-nan", ["sweep", "intelligence_market", "--grid", "c=0:1:3", "--grid", "v=0:1:3",
                               "--curves-budget", "nan", "--no-figure", "--out", "{d}/out"]),
    Case("format-upper", ["sweep", "beer_quiche", "--grid", "p=0:1:3", "--format", "CSV", "--out", "{d}/out"]),
    Case("method-bogus-signalling", ["solve", "beer_quiche", "--method", "bogus"]),
    Case("method-bogus-normal", ["solve", "prisoners_dilemma", "--method", "bogus"]),
    Case("select-bogus", ["solve", "beer_quiche", "--select", "bogus"]),
    Case("select-bad-criterion", ["solve", "beer_quiche", "--select", "pareto:bogus"]),
    Case("refine-bogus", ["solve", "beer_quiche", "--refine", "bogus"]),
    Case("range-letters", ["thresholds", "beer_quiche", "--in", "p", "--range", "a:b"]),
    Case("range-reversed", ["thresholds", "beer_quiche", "--in", "p", "--range", "1:0"]),
    Case("in-unknown", ["thresholds", "beer_quiche", "--in", "zz"]),
    Case("to-pdf", ["export", "beer_quiche", "--to", "pdf"]),
    Case("max-spec-bytes-text", ["validate", "beer_quiche", "--max-spec-bytes", "lots"]),
    Case("unknown-option", ["validate", "beer_quiche", "--frobnicate"]),
    Case("missing-argument", ["solve"], where=("SPEC",)),
    Case("unknown-command", ["frobnicate"], where=("frobnicate",)),
]

GRID = ["sweep", "beer_quiche", "--no-figure", "--out", "{d}/out", "--grid"]
GRIDS = [Case(f"grid-{i}", GRID + [g]) for i, g in enumerate([
    "p=0:1:0", "p=0:1:-1", "p=1:0:3", "p=0:1:1", "p=nan:1:3", "p=0:inf:3", "p=", "=0:1:3", "p=0:1:3:4",
    "p=0:1:2.5", "p=1e400", "p=0,0", "p=(1/0)", "p=0:1:3e3", "p=__import__('os'):1:3", "zz=0:1:3", "p=-1:2:3",
    "p=0:1:99999999999999999999999"])] + [
    Case("grid-twice", GRID + ["p=0:1:3", "--grid", "p=0:1:3"]),
    Case("grid-many-axes", ["sweep", "beer_quiche", "--no-figure", "--out", "{d}/out"]
         + [x for _ in range(50) for x in ("--grid", "p=0:1:2")]),
]

EFG_OK = ('EFG 2 R "g" { "S" "R" }\n""\nc "" 1 "" { "a" 1/2 "b" 1/2 } 0\n'
          'p "" 1 1 "" { "x" "y" } 0\np "" 2 1 "" { "l" "r" } 0\nt "" 1 "" { 1, 1 }\nt "" 2 "" { 0, 0 }\n')
GAMBIT = [Case(f"gambit-{name}", ["import", f"{{d}}/{file}"], {file: text}) for name, file, text in [
    ("empty-efg", "e.efg", ""),
    ("header-only", "h.nfg", 'NFG 1 R "x"\n'),
    ("three-players", "p3.nfg", 'NFG 1 R "x" { "a" "b" "c" } { 1 1 1 }\n0 0 0\n'),
    ("huge-strategy-counts", "big.nfg", 'NFG 1 R "x" { "a" "b" } { 1000000 1000000 }\n0 0\n'),
    ("chance-not-one", "c.efg", EFG_OK.replace("1/2 \"b\" 1/2", "1/2 \"b\" 1/3")),
    ("chance-negative", "n.efg", EFG_OK.replace("1/2 \"b\" 1/2", "3/2 \"b\" -1/2")),
    ("payoff-text", "t.nfg", 'NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 x 4 5 6 7 8\n'),
    ("payoff-1e400", "f.nfg", 'NFG 1 R "x" { "a" "b" } { 1 1 }\n1e400 0\n'),
    ("binary-garbage", "g.efg", bytes(range(256)) * 4),
    ("control-labels", "l.nfg", 'NFG 1 R "x\x1b[2J" { "a\u202e" "b" } { 2 1 }\n1 2 3 4\n'),
    ("quote-injection", "q.nfg", 'NFG 1 R "x\\"; rm -rf /" { "a" "b" } { 1 1 }\n1 2\n'),
    ("wrong-extension", "g.txt", EFG_OK),
    ("deep-efg", "d.efg", 'EFG 2 R "g" { "S" "R" }\n""\n' + 'p "" 1 1 "" { "x" } 0\n' * 3000),
    ("unterminated-string", "u.nfg", 'NFG 1 R "x { "a" "b" } { 1 1 }\n1 2\n'),
    ("efg-ok", "ok.efg", EFG_OK),
]]

CATALOG = [Case(f"catalog-{i}", ["validate", n]) for i, n in enumerate([
    "beer_quiche.yaml", "BEER_QUICHE", "../models/beer_quiche", "models", " ", "intelligence_market ", "__init__",
    "beer-quiche", "beer_quiche/", "~/beer_quiche"])]

SETS = [Case(f"set-{i}", ["solve", "beer_quiche", "--set", s]) for i, s in enumerate([
    "p", "=1", "p=", "p==1", "p=1=2", "q=1", f"p=__import__('os').system('touch {MARKER}')", "p=1e400", "p=nan",
    "p=2", "p=0.1#x", "p=1 # c", "p=10**10**10", "p=p", "p=q", "P=1/2", "p=1/3\n", "p=\u0661/2"])] + [
    Case("set-twice", ["solve", "beer_quiche", "--set", "p=1/3", "--set", "p=1/2"]),
    Case("set-on-reproduce-unknown", ["reproduce", "--set", "zz=1", "--out", "{d}/out"]),
]

ZERO_333 = ("intelgame: 1\nkind: signalling\nname: zero\ntypes: {a: 1/3, b: 1/3, c: 1/3}\nmessages: [x, y, z]\n"
            "actions: [u, v, w]\npayoffs: {sender: '0', receiver: '0'}\n")
ZERO_444 = ("intelgame: 1\nkind: signalling\nname: zero\nparameters: {a: 1/4}\n"
            "types: {w: a, x: 1/4, y: 1/4, z: 1/2 - a}\nmessages: [m1, m2, m3, m4]\nactions: [b1, b2, b3, b4]\n"
            "payoffs: {sender: '0', receiver: '0'}\n")
#: 3 types (2 with a parameter), 10 messages, 10 actions: the float path's check of near ties
#: has 37 million (12 million) gaps a game, more than the belief cells' work
WIDE = ("intelgame: 1\nkind: signalling\nname: wide\nparameters: {a: 1/2}\n"
        "messages: [" + ", ".join(f"m{i}" for i in range(10)) + "]\nactions: [" + ", ".join(f"b{i}" for i in range(10))
        + "]\npayoffs: {sender: '0', receiver: '0'}\n")
BUDGETS = [  # a degenerate game's batched search stops at the sweep's budget, in bounded memory
    Case("sweep-zero-4x4x4", ["sweep", "{d}/g.yaml", "--grid", "a=0.2:0.3:3", "--no-figure", "--out", "{d}/out"],
         spec(ZERO_444), (2,), where=("work budget",)),
    # the check of near ties is refused by the budget before it runs (it once took GBs and seconds)
    Case("solve-3x10x10-check", ["solve", "{d}/g.yaml"], spec(WIDE.replace("\nmessages", "\ntypes: {x: 1/3, y: 1/3, "
                                                                          "z: 1/3}\nmessages")),
         (2,), where=("near ties",)),
    Case("sweep-2x10x10-check", ["sweep", "{d}/g.yaml", "--grid", "a=0.2:0.3:3", "--max-work", "1e7", "--no-figure",
                                 "--out", "{d}/out"], spec(WIDE.replace("\nmessages", "\ntypes: {x: a, y: 1 - a}\nmessages")),
         (2,), where=("near ties",)),
]
SIGNALS = [
    Case("sigterm-solve", ["solve", "{d}/g.yaml", "--max-work", "1e12", "--out", "{d}/out.json"], spec(ZERO_333),
         (0, 143), signal.SIGTERM, 1.5),
    Case("sigint-solve", ["solve", "{d}/g.yaml", "--max-work", "1e12", "--out", "{d}/out.json"], spec(ZERO_333),
         (0, 130), signal.SIGINT, 1.5),
    Case("sigterm-sweep", ["sweep", "{d}/g.yaml", "--grid", "a=0:1:3", "--no-figure", "--out", "{d}/out"],
         spec(ZERO_333.replace("types: {a: 1/3", "parameters: {a: 1/3}\ntypes: {a: a")), (0, 2, 143), signal.SIGTERM, 1.5),
    Case("sighup-validate", ["validate", "beer_quiche"], {}, (0, -signal.SIGHUP), signal.SIGHUP, 0.0),
]

CASES = YAML + NAMES + NUMBERS + EXPRESSIONS + PATHS + OPTIONS + GRIDS + GAMBIT + CATALOG + SETS + BUDGETS + SIGNALS


def _address_space() -> int:
    """This process's address space in bytes (``VmSize``; 0 where ``/proc`` does not tell). A
    forked child starts as a copy of it, and an xdist worker's grows with the tests it has run
    (from about 120 MB to 650 MB in the full suite): an absolute cap would leave the child what
    the earlier tests left, and short of memory the child fails in ways that depend on the
    worker's history (a MemoryError, a library that cannot be mapped, or OpenBLAS retrying an
    allocation in a loop that no signal interrupts, all seen with a ballast mapping)."""
    try:
        status = Path(f"/proc/{os.getpid()}/status").read_text()
    except OSError:
        return 0
    return int(status.split("VmSize:")[1].split()[0]) * 1024 if "VmSize:" in status else 0


def _run(case: Case, folder: Path) -> tuple[int, str, str, float]:
    """``main(argv)`` in a forked child within the limits, from ``folder``; its status, stdout, stderr."""
    argv = [a.replace("{d}", str(folder)) for a in case.argv]
    out, err = folder.parent / f"{folder.name}.out", folder.parent / f"{folder.name}.err"
    out.write_text(""), err.write_text("")  # there even if a signal ends the child at once
    memory = _address_space() + MEMORY
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.chdir(folder)
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CPU, (CPU, CPU))
            for fd, path in ((1, out), (2, err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            status = main(argv)
        except BaseException:  # noqa: BLE001 - reported by the status
            status = 99
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os._exit(status)
    if case.signal is not None:
        time.sleep(case.delay)
        os.kill(pid, case.signal)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > WALL:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"{case.name}: still running after {WALL} s")
        time.sleep(0.01)
    code = os.waitstatus_to_exitcode(status)
    return code, out.read_text(errors="replace"), err.read_text(errors="replace"), time.monotonic() - start


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_keeps_the_contract(tmp_path: Path, case: Case) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    for name, content in case.files.items():
        (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)
    if case.name == "spec-symlink-loop":
        (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    before = _listing(folder)
    code, out, err, elapsed = _run(case, folder)
    assert code in case.allowed, f"{case.name}: exit {code}: {err[-500:]}"
    assert "Traceback" not in err and "internal error" not in err, err
    assert elapsed < CPU
    assert not list(folder.rglob(MARKER)) and not (REPO / MARKER).exists(), "code was executed"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")], "a temporary file was left"
    if code == 2:
        assert out == "", out
        assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, repr(err)
        assert len(err) < 700, err
        argv = [a.replace("{d}", str(folder)) for a in case.argv]
        where = case.where or (*[a for a in argv[1:] if not a.startswith("--")], *[a for a in argv if a.startswith("--")],
                               "--set", "--grid", "(key '", "line ")
        assert any(w and w in err for w in where), err
    if code != 0:
        assert _listing(folder) == before, "an output was left behind"
