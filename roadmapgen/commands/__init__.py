"""What each command does, as functions: no printing, no exit codes (those are roadmapgen.cli's)."""
