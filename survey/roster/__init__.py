"""The roster: the workforce CSV, its roles and workforces, looking people up."""
