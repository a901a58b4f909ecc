"""Reading the log after the fact: views, report, export, metrics, suggestions. Cold path."""
