"""The layout rules of docs/architecture.md, checked on the source: no import cycles among the project's
modules, nothing in the product imports the benchmarks, the UI never imports the server, and no module
in bot/ grows past 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "retrieval", "finetune")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    out = {_module_name(p): p for top in (*PRODUCT, "bench") for p in (REPO / top).rglob("*.py")}
    out["app"] = REPO / "app.py"
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules imported anywhere in the file (lazy imports included), except under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            for a in node.names:  # `from bot import ui` imports the module bot.ui
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in known}


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    return {name: _imports(name, path, known) - {name} for name, path in sources.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_product_never_imports_the_benchmarks():
    bad = {m: sorted(d for d in deps if d == "bench" or d.startswith("bench."))
           for m, deps in _graph().items() if m.split(".")[0] in ("bot", "retrieval")}
    assert {m: d for m, d in bad.items() if d} == {}


def test_the_ui_never_imports_the_server():
    graph = _graph()
    reach, todo = set(), ["bot.ui"]
    while todo:
        for dep in graph.get(todo.pop(), ()):
            if dep not in reach:
                reach.add(dep)
                todo.append(dep)
    assert "bot.api" not in reach and "app" not in reach


def test_modules_in_bot_stay_small():
    sizes = {p.relative_to(REPO).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in (REPO / "bot").rglob("*.py")}
    assert {p: n for p, n in sizes.items() if n >= MAX_LINES} == {}


def test_the_readme_module_table_names_real_files():
    """Every `file.py` the README's "What is inside" table names for bot/ exists there."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `bot/` |"))
    named = set(re.findall(r"`([\w/]+(?:\.py|/))`", row.split("|")[2]))
    missing = sorted(n for n in named if not (REPO / "bot" / n).exists())
    assert named and missing == []
    files = {p.name for p in (REPO / "bot").glob("*.py") if p.name != "__init__.py"}
    packages = {p.name + "/" for p in (REPO / "bot").iterdir() if (p / "__init__.py").is_file()}
    assert sorted((files | packages) - named) == []
