"""The layering the README promises, checked on the source: each layer imports only the layers before it."""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# In order: a module may import its own layer and the layers before it, never one after.
LAYERS = [
    {"types", "lang", "errors", "progress", "__init__"},
    {"text", "embed"},
    {"formats"},
    {"pairing"},
    {"mining"},
    {"project"},
    {"review"},
    {"batch"},
    {"cli", "__main__", "align_ui"},
]
RANK = {name: k for k, layer in enumerate(LAYERS) for name in layer}


def _layer(module: str) -> str:
    parts = module.split(".")
    return "align_ui" if parts[0] == "align_ui" else (parts[1] if len(parts) > 1 else "__init__")


def _imports(path: Path):
    """Modules imported by ``path``, leaving out ``if TYPE_CHECKING:`` blocks (annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", "") == "TYPE_CHECKING" for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _modules():
    for package in ("align", "align_ui"):
        for path in sorted((REPO / package).rglob("*.py")):
            yield ".".join(path.relative_to(REPO).with_suffix("").parts), path


def test_every_module_belongs_to_a_layer_and_imports_no_later_one():
    wrong = []
    for module, path in _modules():
        own = _layer(module)
        assert own in RANK, f"{module}: package {own!r} is in no layer"
        for target in _imports(path):
            if target.split(".")[0] in ("align", "align_ui") and target != "align":
                if RANK[_layer(target)] > RANK[own]:
                    wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_library_knows_no_ui_and_stays_small_at_the_top():
    for module, path in _modules():
        if module.startswith("align."):
            ui = [t for t in _imports(path) if t.split(".")[0] in ("streamlit", "altair", "align_ui")]
            assert not ui, f"{module} imports {ui}"
    assert len(list((REPO / "align").glob("*.py"))) <= 10


def test_a_later_import_is_caught(tmp_path):
    """The check itself can fail: a text module importing the project store is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from align.project.store import Project\n")
    assert RANK[_layer(next(_imports(bad)))] > RANK[_layer("align.text.bad")]
