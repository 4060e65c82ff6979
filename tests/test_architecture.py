"""The shape of the package: imports run one way, one door per dependency."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "ebook"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The ebook modules (and outside packages) a module imports, at any depth of its code."""
    tree = ast.parse(path.read_text("utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            modules = {f"{target}.{a.name}" for a in node.names}
            found |= {m for m in modules if (REPO / (m.replace(".", "/") + ".py")).exists()}
            found |= {m for m in modules if (REPO / m.replace(".", "/") / "__init__.py").exists()}
            if not any((REPO / (m.replace(".", "/") + ".py")).exists() for m in modules):
                found.add(target)
    return found


GRAPH = {
    module_name(p): {i for i in imports(p) if i.startswith("ebook")} for p in PACKAGE.rglob("*.py")
}


def test_no_import_cycles():
    seen: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, trail: list[str]) -> None:
        if seen.get(module) == 2:
            return
        assert seen.get(module) != 1, " -> ".join(trail + [module])
        seen[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if target != module and not module.startswith(target + "."):
                visit(target, trail + [module])
        seen[module] = 2

    for module in sorted(GRAPH):
        visit(module, [])


def test_nothing_below_the_cli_imports_the_package_itself():
    for module, targets in GRAPH.items():
        if module not in ("ebook", "ebook.__main__", "ebook.cli"):
            assert "ebook" not in targets, module


def test_one_door_per_dependency():
    doors = {"ebooklib": {"ebook.epub"}, "click": {"ebook.cli"}}
    # The Markdown parser and its plugins: the renderer's own modules only.
    parser = {"markdown_it", "mdit_py_plugins"}
    for path in PACKAGE.rglob("*.py"):
        used = {i.split(".")[0] for i in imports(path)}
        for dependency, allowed in doors.items():
            if dependency in used:
                assert module_name(path) in allowed, (dependency, module_name(path))
        if used & parser:
            assert module_name(path).startswith("ebook.render."), module_name(path)
    assert not any("markdown" == i.split(".")[0] for p in PACKAGE.rglob("*.py") for i in imports(p))


def test_the_renderer_reports_data_and_never_imports_the_checks():
    for module, targets in GRAPH.items():
        if module.startswith("ebook.render"):
            assert not any(t.startswith("ebook.checks") for t in targets), module


def test_findings_are_made_by_the_checks_and_the_loader_only():
    """The renderer returns problems and repairs as data; the checks turn them into findings."""
    makers = {
        "ebook.codes",  # finding() itself
        "ebook.errors",  # the Diagnostic of an exception that stops a command
        "ebook.manuscript",  # what could not be loaded (B, F, T005)
        "ebook.chapters",  # replays cached findings
        "ebook.epubcheck",  # EPUBCheck's own messages
        "ebook.ace",  # DAISY Ace's own messages
    }
    for path in PACKAGE.rglob("*.py"):
        module = module_name(path)
        text = path.read_text("utf-8")
        if module.startswith("ebook.checks") or module in makers:
            continue
        assert "finding(" not in text and "Diagnostic(" not in text, module
