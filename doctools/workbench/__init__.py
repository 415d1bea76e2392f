"""The workbench: ``doctools serve``, the plans of a workspace edited in a browser page."""
