"""Plan stage: views -> the pages of a site."""
