"""Two rules of the house that ruff, mypy and import-linter cannot check, run by `make lint`.

1. Module size: no Python module of the project over BUDGET lines (past that, make a package).
2. Imports of outside packages that import-linter cannot name (it sees `django`, not
   `django.db`): the pure modules of the "Pure modules never reach the ORM" contract in
   `pyproject.toml` never import `django.db`; services never import `django.http`,
   `django.shortcuts` nor `ninja` (they take and return domain objects, views speak HTTP).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 500
CHECKED = ("tierslieux", "tests", "bench", "scripts")
HTTP = ("django.http", "django.shortcuts", "ninja")


def modules() -> Iterator[Path]:
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def pure_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["name"] == "Pure modules never reach the ORM":
            return list(contract["source_modules"])
    raise SystemExit("pyproject.toml: the contract of the pure modules is gone")


def within(name: str, roots: list[str] | tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def problems() -> Iterator[str]:
    pure = pure_modules()
    for path in modules():
        where = path.relative_to(ROOT)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > BUDGET:
            yield f"{where}: {lines} lines, over the budget of {BUDGET}: split it"
        name = dotted(path)
        is_service = ".services" in f".{name}." and name.startswith("tierslieux.")
        for lineno, module in imported(path):
            if within(name, pure) and within(module, ["django.db"]):
                yield f"{where}:{lineno}: a pure module imports {module}"
            if is_service and within(module, HTTP):
                yield f"{where}:{lineno}: a service imports {module}"


def main() -> int:
    found = list(problems())
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
