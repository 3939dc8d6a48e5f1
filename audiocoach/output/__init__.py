"""Everything written with the audio or from it: the MP3's tags, chapters and cover, the LRC and
JSON sidecars, a batch's playlist, staging (all in place together, or none); device workout files
(FIT, ZWO, intervals.icu text), podcast feeds, pages, transcripts and chapter files."""
