"""align: a translation-alignment workbench.

The pipeline, one module per stage: ingest -> langtag -> segment -> embed ->
aligner -> formats. Importing this package loads no model.
"""
__version__ = "0.1.0"
