"""A bare script that draws the prediction content, for AppTest."""

import streamlit as st

from pfcrm_core.ui import active_store
from pfcrm_core.ui.prediction import render_prediction

# The app runs in the wide layout, so the content is drawn at the same width here.
st.set_page_config(layout="wide")
render_prediction(active_store())
