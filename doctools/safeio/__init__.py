"""The one way doctools touches files it did not make, and the one way it writes files.

- :mod:`.untrusted` opens what a user hands over (a .docx to import or audit, a package's workbooks, a house
  template, the files hashed to tell whether outputs are current): regular files only, read with a cap, zip packages
  checked against :mod:`doctools.limits` before any parser sees them.
- :mod:`.atomic` writes: every file staged beside its destination, flushed to disk, then renamed into place, never
  through a link.  Build, ``check --fix``, import and the workbench use it.

No other module calls ``zipfile.ZipFile`` on a file it reads or ``os.replace`` (``tests/test_layers.py``).
"""
