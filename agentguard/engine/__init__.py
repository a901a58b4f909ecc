"""What decides: a call's context, the evaluation of every tool kind, paths and identity. Hot."""
