"""Output: rendered bytes → files on disk, one set at a time (sets), atomically (write); build joins the two."""
