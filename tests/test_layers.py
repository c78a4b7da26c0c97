"""The import contract: layers import downward only, no cycles, `web` talks to the server over HTTP only.

Read from the source with `ast`, so imports inside functions count too; only imports under
`if TYPE_CHECKING:` are exempt (they never run).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import tiemeasureflow

PACKAGE = "tiemeasureflow"
ROOT = Path(tiemeasureflow.__file__).parent
# Top-level packages by layer, highest first; a layer imports only from its own and lower layers.
# Everything not named is a domain (runs, measurements, statistics, ...), between surfaces and base.
ENTRY = {"__main__", "launcher", "cli", "client_cli", "app", "demodata", "migrations", "catalogs"}  # catalogs: the translators' tool
SURFACES = {"public_api", "reports", "health"}
BASE = {"", "models", "kit", "spc", "config"}  # "" is the package's own __init__ (version, service name)
# Document building blocks of `reports` that other domains' printed forms share (fonts, page layout,
# translated labels, report context); nothing else of a surface is imported from below it.
SHARED_FROM_SURFACES = {"reports.layout", "reports.i18n", "reports.data", "reports.context"}
# What the station client may import from outside `web`: its own settings and constant vocabularies.
WEB_MAY_IMPORT = {"config.client", "kit.proxies", "kit.vocabulary", "recipes.catalog"}
THIRD_PARTY_FOR_SPC = {"numpy", "scipy"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)  # relative to the package: "" for its __init__


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split(".")) if name else ROOT
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _type_checking_only(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (getattr(node.test, "id", None) == "TYPE_CHECKING"
                                         or getattr(node.test, "attr", None) == "TYPE_CHECKING"):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


@cache
def imports() -> dict[str, set[tuple[str, int]]]:
    """Each module's imports: ours as names relative to the package, others as `~top_level`, with line."""
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        module, package = _module_name(path), path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found[module].add((_ours(alias.name) or "~" + alias.name.split(".")[0], node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = module.split(".") if module else []
                    parts = parts if package else parts[:-1]
                    parts = parts[: len(parts) - node.level + 1]
                    source = ".".join(parts + ([node.module] if node.module else []))
                else:
                    source = _ours(node.module or "")
                    if source is None:
                        found[module].add(("~" + (node.module or "").split(".")[0], node.lineno))
                        continue
                for alias in node.names:
                    name = f"{source}.{alias.name}" if source else alias.name
                    found[module].add((name if _is_module(name) else source, node.lineno))
    return found


def _ours(name: str) -> str | None:
    if name == PACKAGE:
        return ""
    return name[len(PACKAGE) + 1:] if name.startswith(PACKAGE + ".") else None


def _top(name: str) -> str:
    return name.split(".")[0]


def _layer(top: str) -> int:
    return 0 if top in ENTRY else 1 if top in SURFACES else 3 if top in BASE else 2


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _edges(key) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports().items():
        for target, _ in targets:
            if not target.startswith("~") and key(module, target) is not None:
                edges[key(module, target)[0]].add(key(module, target)[1])
    return edges


def _violations(rule) -> list[str]:
    return sorted(f"{module or PACKAGE} imports {target} (line {line})"
                  for module, targets in imports().items() for target, line in targets if rule(module, target))


def test_the_contract_sees_the_whole_package():
    found = imports()
    assert len(found) > 200 and {"kit.db", "runs.service", "web.app", "spc"} <= set(found)
    assert any(t == "models" for t, _ in found["runs.service"]) and any(t == "~sqlalchemy" for t, _ in found["kit.db"])


def test_no_cycles_between_top_level_packages():
    edges = _edges(lambda m, t: (_top(m), _top(t)) if _top(m) != _top(t) else None)
    assert _cycles(edges) == []


def test_no_cycles_between_modules():
    # A package's __init__ that gathers its modules (a blueprint and its views) is the one allowed loop.
    def key(module, target):
        if module == target or module.startswith(target + ".") or (not target and module):
            return None
        return module, target

    assert _cycles(_edges(key)) == []


def test_layers_import_downward_only():
    def upward(module, target):
        if target.startswith("~") or _top(module) == "web":
            return False
        if _layer(_top(target)) >= _layer(_top(module)):
            return False
        return not (target in SHARED_FROM_SURFACES and _layer(_top(module)) == 2)

    assert _violations(upward) == []


def test_kit_imports_nothing_of_the_package_but_config():
    assert _violations(lambda m, t: _top(m) == "kit" and not t.startswith("~") and _top(t) not in ("kit", "config")) == []


def test_models_import_only_kit_and_config():
    allowed = {"models", "kit", "config"}
    assert _violations(lambda m, t: _top(m) == "models" and not t.startswith("~") and _top(t) not in allowed) == []


def test_spc_imports_numpy_scipy_and_the_standard_library_only():
    def foreign(module, target):
        if _top(module) != "spc":
            return False
        if target.startswith("~"):
            return target[1:] not in sys.stdlib_module_names | THIRD_PARTY_FOR_SPC
        return _top(target) != "spc"

    assert _violations(foreign) == []


def test_the_station_client_imports_no_server_module():
    assert _violations(lambda m, t: _top(m) == "web" and not t.startswith("~") and _top(t) != "web"
                       and t not in WEB_MAY_IMPORT) == []


def test_route_modules_are_imported_by_the_app_only():
    # What two domains' routes share (query parameters, filters) lives beside the schemas, not in a routes module.
    def sideways(module, target):
        return (not target.startswith("~") and target.split(".")[-1].endswith("routes")
                and _top(target) != _top(module) and _top(module) != "app")

    assert _violations(sideways) == []
