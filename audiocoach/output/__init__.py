"""Everything written beside the audio for a runner's device or a group: device workout files
(FIT, ZWO, intervals.icu text), podcast feeds, pages, transcripts and chapter files."""
