"""``streamlit run streamlit_app.py`` from a checkout: runs the workbench (``align_ui/launch.py``).

``align workbench`` runs that file directly, bound to 127.0.0.1; this file is
for those who start Streamlit themselves.
"""
import runpy

runpy.run_module("align_ui.launch", run_name="__main__")
