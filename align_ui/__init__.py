"""The Streamlit workbench's panels; ``streamlit_app.py`` lays them out. Library code lives in ``align``."""
