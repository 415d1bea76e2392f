"""doctools: official-format implementation plans, attachment tables and
disclosure flowcharts from structured inputs.

Readers (``doctools.readers``) turn input folders into one document model
(``doctools.model``); writers (``doctools.writers``) turn the model into files;
``doctools.commands.build`` runs them and writes outputs safely; ``doctools.cli`` is
the command line.
"""
__version__ = "0.1.0"
