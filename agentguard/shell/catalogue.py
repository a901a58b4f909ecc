"""What agentguard knows about programs, as data: every entry a literal, with examples.

Hot path, and data only: dicts, tuples, strings, numbers, booleans and ``None``. No calls,
no functions, no imports (``tests/test_catalogue.py`` walks this module's syntax tree to
keep it so), so loading it costs one ``.pyc`` read. Option sets are one space-separated
string each, split where they are read.

Sections:
- ``PROGRAMS``: program name -> its facts (family module, classes, value options, options
  that write or read a file, lenient exit, verbs) and ``examples``: a command line -> what
  it must yield (classes, writes, reads), checked by one parametrised test.
- ``WRAPPERS``: programs that run another program (``timeout``, ``env``, ``nice`` …): the
  shape of their arguments, with examples of what the wrapped command is.
- ``GIT``: git's sub-command tables.
"""

PROGRAMS: dict[str, dict[str, object]] = {}

WRAPPERS: dict[str, dict[str, object]] = {}

GIT: dict[str, object] = {}
