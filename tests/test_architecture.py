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
            submodules = {
                m
                for m in modules
                if (REPO / (m.replace(".", "/") + ".py")).exists()
                or (REPO / m.replace(".", "/") / "__init__.py").exists()
            }
            found |= submodules
            if not submodules:  # names from the module itself
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
    doors = {
        "click": {"ebook.cli", "ebook.cli.group", "ebook.cli.terminal"},
        # Python-Markdown reads MkDocs sites as they read themselves, in `adopt` only: it is
        # not the manuscript's reader.
        "markdown": {"ebook.convert.fidelity"},
        "pymdownx": {"ebook.convert.fidelity"},
    }
    # The Markdown parser and its plugins: the renderer's own modules only.
    parser = {"markdown_it", "mdit_py_plugins"}
    for path in PACKAGE.rglob("*.py"):
        used = {i.split(".")[0] for i in imports(path)}
        for dependency, allowed in doors.items():
            if dependency in used:
                assert module_name(path) in allowed, (dependency, module_name(path))
        if used & parser:
            assert module_name(path).startswith("ebook.render."), module_name(path)
    everything = {i.split(".")[0] for p in PACKAGE.rglob("*.py") for i in imports(p)}
    # ebooklib's writer reached through its private methods was replaced by package/opf.py
    # (benchmarks/ebooklib_writer.py says why).
    assert "ebooklib" not in everything


def test_the_renderer_reports_data_and_never_imports_the_checks():
    for module, targets in GRAPH.items():
        if module.startswith("ebook.render"):
            assert not any(t.startswith("ebook.checks") for t in targets), module


def test_findings_are_made_by_the_checks_and_the_loader_only():
    """The renderer returns problems and repairs as data; the checks turn them into findings."""
    makers = {
        "ebook.core.codes",  # finding() itself
        "ebook.core.errors",  # the Diagnostic of an exception that stops a command
        "ebook.build.chapters",  # replays cached findings
        "ebook.editions.anchors",  # anchors a new edition lost (R001, R002)
        "ebook.tools.epubcheck",  # EPUBCheck's own messages
        "ebook.tools.ace",  # DAISY Ace's own messages
    }
    for path in PACKAGE.rglob("*.py"):
        module = module_name(path)
        text = path.read_text("utf-8")
        # The checks, and the loader: what could not be loaded (B, F, T005).
        if module.startswith(("ebook.checks", "ebook.load")) or module in makers:
            continue
        assert "finding(" not in text and "Diagnostic(" not in text, module


# The pipeline's layers: what each folder of the package may import besides itself. Data flows
# load -> checks + render -> package -> write; build runs the stages; editions, convert and
# preview are built on the pipeline; only the CLI sees everything.
LAYERS = {
    "core": set(),
    "incremental": {"core"},
    "tools": {"core"},
    "load": {"core", "incremental"},
    "render": {"core"},
    "checks": {"core", "load", "render"},
    "package": {"core", "incremental"},
    "build": {"core", "incremental", "tools", "load", "render", "checks", "package"},
    "editions": {"core", "incremental", "load", "render", "checks", "package", "build"},
    "convert": {"core", "load", "render"},
    "preview": {"core", "incremental", "load", "render", "checks", "package", "build"},
}
# Above them all: cli (Click; prints; maps error types to exit statuses).


def layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_the_folders_are_the_pipeline_and_each_imports_only_the_layers_below():
    top_level = {p.stem for p in PACKAGE.glob("*.py")}
    assert top_level == {"__init__", "__main__"}, top_level
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders == set(LAYERS) | {"cli"}, folders  # the CLI may import every layer
    for module, targets in GRAPH.items():
        if layer(module) not in LAYERS:
            continue
        allowed = LAYERS[layer(module)] | {layer(module)}
        wrong = sorted(t for t in targets if t.startswith("ebook.") and layer(t) not in allowed)
        assert wrong == [], f"{module} imports {wrong}"


def test_the_layer_test_catches_a_wrong_import(tmp_path):
    """The rule above applied to a module that breaks it."""
    bad = {"ebook.render.x": {"ebook.checks.notes", "ebook.core.model"}}
    for module, targets in bad.items():
        allowed = LAYERS[layer(module)] | {layer(module)}
        assert [t for t in targets if layer(t) not in allowed] == ["ebook.checks.notes"]


def test_every_module_is_short_enough_to_read():
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 500
    }
    assert long == {}, long


# Functions longer than 60 lines, each with why it stays whole. The test fails on a new long
# function not listed here, and on a listed one that is no longer long (the list stays true).
LONG_FUNCTIONS = {
    "ebook.convert.importer.body._number_pages": "one pass over the page breaks, counting"
    " against the contents' page numbers; the count's state is the function",
    "ebook.convert.importer.body._read_part": "one pass over a part's paragraphs deciding what"
    " each is (heading, note, page mark, text); split, the passes would share their cursor",
    "ebook.convert.site_links._href": "one decision per kind of link target a site writes; issue 23"
    " (adopt's site navigation) rewrites link resolution",
    "ebook.checks.config._check_cip": "the CIP rules C001-C008, each a few lines, in the"
    " standard's order",
    "ebook.preview.server.make_server": "the request handler class the server is made of, its"
    " five small methods closing over the preview",
    "ebook.render.notes.number_notes": "its two helpers close over the chapter's numbering state",
    "ebook.editions.anchors.check_against_previous": "each lost anchor's finding is built where"
    " the old and new snapshots are both at hand",
    "ebook.checks.structure.check_structure": "the heading rules S001-S004 over one walk of"
    " the headings",
    "ebook.convert.importer.front._colophon_value": "one branch per label a colophon prints",
    "ebook.render.media.collect_images": "one walk of the images, each branch an L-finding",
    "ebook.editions.anchors._lost_note": "the finding and the fix for a note that moved,"
    " built from the same lookups",
}


def long_functions() -> dict[str, int]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    found[f"{module_name(path)}.{node.name}"] = length
    return found


def test_every_function_is_short_enough_to_read_or_says_why():
    found = long_functions()
    assert sorted(set(found) - set(LONG_FUNCTIONS)) == [], found
    assert sorted(set(LONG_FUNCTIONS) - set(found)) == [], "no longer long: drop from the list"
