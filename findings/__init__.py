"""Headline figures, each computed once with its sentence, for pages, Present and the meeting pack to draw."""
