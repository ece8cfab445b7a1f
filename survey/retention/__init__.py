"""Retention: the purge, its daily job, and the participation tallies it keeps."""
