"""Run the ``streamlit`` command with Streamlit's legacy ``pages/`` router turned off.

Use ``python -m pfcrm_core.serve run app.py [streamlit options] -- --db PATH`` in place of
``streamlit run``. A plain ``streamlit run`` shows a false "Page not found" dialog
on the first deep link that a fresh server gets, for example ``/profile?client=C-0243``.
The dialog comes from Streamlit 1.67. ``PagesManager`` sets its class attribute
``uses_pages_directory`` to True when a ``pages/`` folder is next to the main script,
and only a call to ``st.navigation`` sets it back to False. While the flag is True,
the script runner runs the legacy multipage router. That router lists only the
``*.py`` files directly in ``pages/``, which has none here because the pages are in
subfolders. So it reports the requested URL path as not found before app.py runs.
Setting the flag to False before the first session starts means app.py routes the
first request itself.
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def main() -> None:
    """Turn off Streamlit's legacy ``pages/`` router, then run the ``streamlit`` command."""
    # NOTE: uses_pages_directory is an internal attribute of Streamlit 1.67, not a
    # public API. If Streamlit renames it, this line only adds an unused attribute
    # and the dialog returns.
    PagesManager.uses_pages_directory = False
    sys.argv[0] = "streamlit"
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
