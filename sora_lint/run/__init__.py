"""One run, in order: discover files, probe headers, resolve targets, check, fix, report."""
