"""Output: rendered bytes → files on disk, written as one set (sets), atomically (write); build ties api.render to them."""
