"""What Streamlit runs: the app, with any OS or database failure shown as one line, never a traceback."""
import runpy
import sqlite3

import streamlit as st

from align.errors import describe_failure
from align_ui.state import md

try:
    runpy.run_module("align_ui.app", run_name="__main__")
except (OSError, sqlite3.Error) as exc:
    st.error(md(describe_failure(exc)))
