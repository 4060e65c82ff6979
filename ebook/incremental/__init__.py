"""What lets an unchanged book or chapter cost nothing: the sealed cache entries, the
no-op stamp and the index of the sources' front matter. Each only saves time; the output is
the same bytes without them."""
