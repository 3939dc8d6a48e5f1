"""Programmes: weeks of sessions, each a workout with its params set, built into a tree of tracks.

model (the file), expand (sessions and build jobs), check, calendar (.ics), overview (a page),
build (what `audiocoach build program.yaml` does around the batch runner).
"""
