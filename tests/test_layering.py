"""The house's layering, checked on every import statement of the source (function-level ones
and `if TYPE_CHECKING:` ones included): the compiler's stages import only earlier stages, only
`read/` touches its guards, the bot and storage see the compiler through its one public
surface, the bot's use cases know no Telegram, and neither storage nor the bot has an import
cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The compiler's stages in the order data flows through them; a stage may import itself, an
# earlier stage and the shared modules (model, errors), never a later stage.
STAGES = ("read", "understand", "identify", "grade", "write", "pipeline")
SHARED = {"model", "errors"}
ENTRY_POINTS = {"__init__", "__main__", "cli"}  # may import any stage


def imports_of(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in a source file, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield node.lineno, base
            for alias in node.names:  # `from compiler import model` imports compiler.model
                yield node.lineno, f"{base}.{alias.name}"


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def part_of(module: str) -> str | None:
    """The stage or shared module a `compiler.…` module belongs to; None for `compiler`."""
    parts = module.split(".")
    return parts[1] if parts[0] == "compiler" and len(parts) > 1 else None


def violations_in_compiler() -> list[str]:
    return [v for path in sources("compiler") for v in violations(path, ROOT / "compiler")]


def violations(path: Path, compiler_root: Path) -> list[str]:
    """What one compiler module imports against the layering."""
    own_part = path.relative_to(compiler_root).with_suffix("").parts[0]
    shown = path.name
    found = []
    for line, module in imports_of(path, compiler_root.parent):
        if module.split(".")[0] in {"telegram", "storage", "bot", "aiosqlite"}:
            found.append(f"{shown}:{line} imports {module}")
        part = part_of(module)
        if part is None or part not in STAGES or own_part in ENTRY_POINTS:
            continue
        if own_part in SHARED:
            found.append(f"{shown}:{line}: shared module imports {module}")
        elif STAGES.index(part) > STAGES.index(own_part):
            found.append(f"{shown}:{line}: {own_part} imports later {module}")
        if module.startswith("compiler.read.guards") and own_part != "read":
            found.append(f"{shown}:{line}: only read/ may use {module}")
    return found


def test_each_stage_imports_only_earlier_stages() -> None:
    assert violations_in_compiler() == []


@pytest.mark.parametrize("package", ["bot", "storage"])
def test_bot_and_storage_use_only_the_public_surface(package: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources(package)
        for line, module in imports_of(path)
        if module.startswith("compiler.") and not _names_a_public_symbol(module)
    ]
    assert found == []


def _names_a_public_symbol(module: str) -> bool:
    """`from compiler import X` shows here as `compiler.X`: fine when X is in `__all__`."""
    import compiler

    return module.count(".") == 1 and module.split(".")[1] in compiler.__all__


def test_storage_knows_neither_telegram_nor_the_compiler() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources("storage")
        for line, module in imports_of(path)
        if module.split(".")[0] in {"telegram", "compiler", "bot"}
    ]
    assert found == []


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of the package (a package by its own name) and the package's modules it
    imports."""
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sources(package)
    }
    return {
        module: {imported for _, imported in imports_of(path) if imported in modules} - {module}
        for module, path in modules.items()
    }


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph (its modules in order, the first repeated), or []."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for imported in sorted(graph[module]):
            found = visit(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return []

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return []


@pytest.mark.parametrize("package", ["storage", "bot"])
def test_no_import_cycle(package: str) -> None:
    graph = import_graph(package)
    assert f"{package}.__main__" in graph
    assert cycle_in(graph) == []


def test_the_use_cases_know_no_telegram() -> None:
    """The use cases run under the bot and in tests alike: no Telegram, nor the bot's glue."""
    glue = ("telegram", "bot.handlers", "bot.context", "bot.services", "bot.texts", "bot.app")
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources("bot/usecases")
        for line, module in imports_of(path)
        if module.startswith(glue)
    ]
    assert found == []


def test_the_checks_catch_what_they_guard(tmp_path: Path) -> None:
    """The walker sees function-level and relative imports, so no check passes vacuously."""
    probe = tmp_path / "compiler" / "understand" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "import telegram\n"
        "def f():\n"
        "    from compiler.write import workbook\n"
        "    from ..grade import policies\n"
        "    from compiler.read.guards.sheets import Budget\n"
    )
    found = violations(probe, tmp_path / "compiler")
    assert any("imports telegram" in v for v in found)
    assert any("understand imports later compiler.write" in v for v in found)
    assert any("only read/ may use compiler.read.guards.sheets" in v for v in found)
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b", "d"}, "b": {"d"}, "d": set()}) == []
