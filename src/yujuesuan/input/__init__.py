"""Input: a data file's bytes → located YAML nodes (load, inputfile) → typed values (reader, amounts); glyphs."""
