"""What the hook keeps between calls: state folder, records, log, evidence. Hot, stdlib only."""
