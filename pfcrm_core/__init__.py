"""PF-CRM core: the data contract, the store, the import pipeline and the CRM models.

Nothing in this package imports Streamlit except ``pfcrm_core.ui``, which holds the
app's shared page helpers, and ``pfcrm_core.serve``, which starts the server.
"""

__version__ = "0.1.0"
