"""Getting documents into a project: a pair, the parallel passages of one mixed file, or several versions.

Two documents become a pair; a mixed document becomes one pair per parallel
passage found in it; three or more versions become one version set, whose
rows link every version at once. ``align project import`` and the workbench
both call these.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from align.embed import Encoder
from align.errors import InputError
from align.mining.mine import MiningReport, ParallelPassage, mine_document
from align.types import Document


@dataclass(frozen=True)
class Imported:
    """What an import added: new pairs, or a new version set."""

    pairs: list[int] = field(default_factory=list)
    version_sets: list[int] = field(default_factory=list)


def import_pair(project, src: Document, tgt: Document, encoder: Encoder, again: bool = False) -> list[int]:
    """Align two documents and store them as a new pair (one transaction); returns ``[pair_id]``. Two texts
    the project already holds as a pair are refused unless ``again`` (see ``refuse_repeats``)."""
    from align.pairing.pipeline import align_documents  # heavy (numba); only when aligning

    refuse_repeats(project, [(src, tgt)], again)  # before the aligning work; and again as it is stored
    return project.add_alignments([align_documents(src, tgt, encoder)],
                                  None if again else repeats_refused(project.name, [(src, tgt)]))


def refuse_repeats(project, docs: Sequence[tuple[Document, Document]], again: bool = False) -> None:
    """An ``InputError`` naming the pairs of texts the project already holds, unless ``again``: an import run
    twice doubled every pair, and an export of the whole project every unit."""
    if not again:
        repeats_refused(project.name, docs)(project.repeated_pairs(docs))


def repeats_refused(project_name: str, docs: Sequence[tuple[Document, Document]] | Sequence[tuple[str, str]],
                    again_option: str = "align project import --again"):
    """What ``Project.add_alignments`` (or ``add_units``) calls with the pairs it finds held already, inside its
    write: an ``InputError`` naming them, so that nothing is stored. ``docs`` are documents or their names."""
    def refuse(repeats: dict[int, int]) -> None:
        if repeats:
            listed = ", ".join(f"{_name(docs[k][0])} ↔ {_name(docs[k][1])} (pair {pair_id})"
                               for k, pair_id in sorted(repeats.items()))
            raise InputError(f"already in project {project_name!r}: {listed}; delete that pair to import them "
                             f"again, or keep both with '{again_option}'")
    return refuse


def _name(doc: Document | str) -> str:
    return doc if isinstance(doc, str) else doc.name


def find_passages(doc: Document, encoder: Encoder) -> MiningReport:
    """The parallel passages of a mixed document; ``InputError`` when there are none."""
    report = mine_document(doc, encoder)
    if not report.parallels:
        raise InputError(f"{doc.name}: {report.message or 'no parallel passages found'}")
    return report


def import_passages(project, passages: Sequence[ParallelPassage], source_lang: str | None = None,
                    again: bool = False) -> list[int]:
    """Store already aligned passage pairs, one pair each, the original as source (see ``ParallelPassage.oriented``);
    passages the project already holds are refused unless ``again``."""
    alignments = [passage.oriented(source_lang) for passage in passages if passage.alignment is not None]
    docs = [(a.src, a.tgt) for a in alignments]
    refuse_repeats(project, docs, again)
    return project.add_alignments(alignments, None if again else repeats_refused(project.name, docs))


def import_versions(project, docs: Sequence[Document], encoder: Encoder, name: str | None = None) -> int:
    """Align two or more versions together and store them as one version set (one transaction); returns its id."""
    from align.pairing.multi import align_versions  # heavy (numba); only when aligning

    return project.add_version_set(align_versions(docs, encoder), name)


def import_documents(project, docs: Sequence[Document], encoder: Encoder,
                     source_lang: str | None = None, again: bool = False) -> Imported:
    """One document: its parallel passages (``source_lang`` the originals' language); two: a pair;
    more: a version set. Pairs the project already holds are refused unless ``again``."""
    if not docs:
        raise InputError("nothing to import")
    if len(docs) == 1:
        return Imported(pairs=import_passages(project, find_passages(docs[0], encoder).parallels, source_lang,
                                              again))
    if len(docs) == 2:
        return Imported(pairs=import_pair(project, docs[0], docs[1], encoder, again))
    return Imported(version_sets=[import_versions(project, docs, encoder)])
