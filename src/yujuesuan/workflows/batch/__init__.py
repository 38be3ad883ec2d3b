"""Many units in one command: isolated units on local processes or a Dask cluster, with a summary."""
