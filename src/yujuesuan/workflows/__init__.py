"""Workflows around the document: new (a blank data file), rollover, diff, the Excel round trip (xlsx),
import-tables (the 决算 software's tables → a data file) and batch (many units, many cores or machines)."""
