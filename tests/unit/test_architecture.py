"""The package order (ARCHITECTURE.md), proved from the source.

Every module of ``assembly/`` is parsed (imports at module level AND inside functions). A
package may import only the packages before it in :data:`ORDER`; no two modules import each
other through any path (no cycle, not even inside one package); a function-level import of
our own code is refused outside the composition root (it only ever exists to dodge a cycle);
and no code reads a ``_private`` attribute of a third-party object.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "assembly"

#: the package order: each imports only those before it ("core" includes the top-level
#: modules config, extensions, errors, helpers)
ORDER = (
    "core",
    "auth",
    "assemblies",
    "registration",
    "grouping",
    "desk",
    "agenda",
    "puzzle",
    "board",
    "followup",
    "reports",
    "app",
)
#: the composition root: builds the app from every package; nothing imports it
APP_MODULES = frozenset(
    {"assembly", "assembly.models", "assembly.cli", "assembly.serving", "assembly.demo"}
)
#: packages of the composition root (the demo seeds a whole day through every package)
APP_PACKAGES = ("assembly.demo.",)

#: ``_``-prefixed names that are ours or a documented public API despite the underscore
ALLOWED_PRIVATE = frozenset(
    {
        "_get_current_object",  # werkzeug LocalProxy: documented way to unwrap current_user
        "_asdict",  # NamedTuple / SQLAlchemy Row public API
        "_mapping",  # SQLAlchemy Row._mapping: documented public API
        "_replace",  # NamedTuple public API
    }
)
#: files excused from the private-attribute check, each with the reason and who removes it
PRIVATE_EXCUSED: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer_of(module: str) -> str:
    if module in APP_MODULES or module.startswith(APP_PACKAGES):
        return "app"
    parts = module.split(".")
    if len(parts) == 2 and parts[1] not in ORDER:  # assembly.config, assembly.errors...
        return "core"
    return parts[1]


def _resolve(node: ast.ImportFrom | ast.Import, module: str, is_package: bool) -> list[str]:
    """The first-party modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "assembly"]
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if target.split(".")[0] != "assembly":
        return []
    out = []
    for alias in node.names:
        candidate = f"{target}.{alias.name}"
        out.append(candidate if candidate in MODULES else target)
    return out


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool):
        self.module, self.is_package = module, is_package
        self.depth = 0
        #: (target module, line, inside a function)
        self.found: list[tuple[str, int, bool]] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node):
        for target in _resolve(node, self.module, self.is_package):
            self.found.append((target, node.lineno, self.depth > 0))

    visit_ImportFrom = visit_Import

    def visit_If(self, node):
        # ``if TYPE_CHECKING:`` imports never run; they are still held to the order.
        self.generic_visit(node)


def _imports() -> dict[str, list[tuple[str, int, bool]]]:
    graph = {}
    for module, path in MODULES.items():
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(), str(path)))
        graph[module] = visitor.found
    return graph


IMPORTS = _imports()


def test_every_package_has_a_place_in_the_order():
    unknown = {layer_of(m) for m in MODULES} - set(ORDER)
    assert not unknown, f"add these packages to ORDER and ARCHITECTURE.md: {sorted(unknown)}"


def test_no_upward_import():
    rank = {name: index for index, name in enumerate(ORDER)}
    wrong = []
    for module, targets in IMPORTS.items():
        for target, line, _inner in targets:
            here, there = layer_of(module), layer_of(target)
            if rank[there] > rank[here] or (there == "app" and here != "app"):
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} {here} → {target}")
    assert not wrong, "upward imports (use a signal, or move the rule down):\n" + "\n".join(wrong)


def test_no_function_level_import_of_our_code():
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} → {target}"
        for module, targets in IMPORTS.items()
        if layer_of(module) != "app"
        for target, line, inner in targets
        if inner
    ]
    assert not wrong, "import at the top of the module:\n" + "\n".join(wrong)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_package_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in IMPORTS.items():
        for target, _line, _inner in targets:
            if layer_of(target) != layer_of(module):
                graph[layer_of(module)].add(layer_of(target))
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


def test_no_module_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in IMPORTS.items():
        for target, _line, _inner in targets:
            if target != module:
                graph[module].add(target)
    cycle = _cycle(graph)
    assert cycle is None, " → ".join(cycle)


# --- no private internals of libraries (issue 18.5) ------------------------------------------


def _first_party_names(tree: ast.Module) -> set[str]:
    """Names bound to our own modules or objects (``from assembly.x import y``) and the usual
    receivers that are ours by construction."""
    names = {"self", "cls"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("assembly")
        ):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.startswith("assembly")
            )
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "_"
        ):
            names.add(node.name)
    return names


def _private_accesses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    ours = _first_party_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__") or name in ALLOWED_PRIVATE:
            continue
        receiver = node.value
        if isinstance(receiver, ast.Name) and receiver.id in ours:
            continue
        found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{name}")
    imported = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.module}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and not node.level
        and node.module
        and not node.module.startswith("assembly")
        and any(
            part.startswith("_") and not part.startswith("__") for part in node.module.split(".")
        )
    ]
    return found + imported


def test_no_private_attribute_of_a_library():
    wrong = []
    for path in MODULES.values():
        relative = str(path.relative_to(ROOT))
        if relative in PRIVATE_EXCUSED:
            continue
        wrong += _private_accesses(path)
    assert not wrong, "private internals of a library (use its public API):\n" + "\n".join(wrong)


def test_excused_files_still_need_their_excuse():
    """An exception that is no longer needed is removed (so the check covers the file again)."""
    for relative in PRIVATE_EXCUSED:
        path = ROOT / relative
        assert path.exists(), f"{relative} is gone: remove it from PRIVATE_EXCUSED"
        assert _private_accesses(path), f"{relative} is clean now: remove it from PRIVATE_EXCUSED"


# --- inside a package: the same top-down layers ----------------------------------------------

#: modules that hold the rules and the data: they never reach the screens
_LOWER = ("models", "domain", "services", "signals")
#: modules that talk to the screens (HTTP, Socket.IO, broadcasts, signal receivers)
_UPPER = ("routes", "events", "broadcasts", "receivers", "payloads")


def _kind(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def test_services_never_import_routes_events_or_broadcasts():
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} → {target}"
        for module, targets in IMPORTS.items()
        if _kind(module) in _LOWER
        for target, line, _inner in targets
        if _kind(target) in _UPPER
    ]
    assert not wrong, "a service builds data; the handler broadcasts it:\n" + "\n".join(wrong)


def _third_party_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_domain_modules_are_pure():
    """``domain.py`` or a ``domain/`` package (and ``assemblies/periods.py``): plain data in,
    plain data out."""
    impure = {"flask", "flask_babel", "flask_login", "flask_socketio", "sqlalchemy", "openpyxl"}
    wrong = []
    for module, path in MODULES.items():
        if ".domain" not in module + "." and not module.endswith(".periods"):
            continue
        libraries = _third_party_imports(path) & impure
        ours = {t for t, _line, _inner in IMPORTS[module] if _kind(t) in ("models", "services")}
        ours |= {t for t, _line, _inner in IMPORTS[module] if t in ("assembly.extensions",)}
        if libraries or ours:
            wrong.append(f"{path.relative_to(ROOT)}: {sorted(libraries | ours)}")
    assert not wrong, "pure modules import neither Flask nor the database:\n" + "\n".join(wrong)


def test_no_two_test_files_share_a_name():
    """tests/unit and tests/integration are not packages: pytest imports test files by their
    base name, so two with one name stop the whole suite at collection."""
    tests = Path(__file__).resolve().parents[1]
    seen = defaultdict(list)
    for path in tests.rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(tests)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


# --- files a newcomer can find (issue 18.4) ---------------------------------------------------

#: past this many lines a module becomes a package (split by responsibility, not in halves)
MAX_MODULE_LINES = 400
#: modules allowed past it for now, each with the reason and who removes it
LONG_EXCUSED: dict[str, str] = {}


def test_no_module_past_the_split_point():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    wrong = [f"{name}: {lines} lines" for name, lines in sorted(long.items())]
    wrong = [line for line in wrong if line.split(":")[0] not in LONG_EXCUSED]
    assert not wrong, f"split by responsibility (over {MAX_MODULE_LINES} lines):\n" + "\n".join(
        wrong
    )
    stale = sorted(set(LONG_EXCUSED) - set(long))
    assert not stale, f"short enough now: remove from LONG_EXCUSED: {stale}"


# --- domain errors: a code and a translatable message (issue 18.3) ---------------------------

#: our errors (assembly/errors.py and the import's): each carries a code by its class
_ERRORS = frozenset(
    {
        "AssemblyError",
        "InvalidInput",
        "NotFound",
        "PermissionDenied",
        "Conflict",
        "RateLimited",
        "Unavailable",
        "InternalError",
        "ImportFileError",
    }
)


def _bare_messages(node: ast.AST) -> bool:
    """A text written in place (a literal, an f-string, or one joined to them): never through
    ``_()``."""
    if isinstance(node, ast.Constant):  # a separator (" ") says nothing
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _bare_messages(node.left) or _bare_messages(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_messages(node.body) or _bare_messages(node.orelse)
    return False


def test_domain_errors_say_a_translatable_message():
    wrong = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in _ERRORS and node.exc.args and _bare_messages(node.exc.args[0]):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not wrong, "a refusal's message goes through _() (English pages):\n" + "\n".join(wrong)
