"""`roadmapgen import`: customer evidence and survey answers from the exports teams really have.

``feedback`` writes one checked document per row; ``responses`` appends scores to a
metric's responses file. Around them: which column fills which field (``columns``), what
a score or a word means (``scales``), the dates exports write (``dates``), what the
project already holds (``known``) and where new files go (``folder``).
"""
