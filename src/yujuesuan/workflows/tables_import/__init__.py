"""`yujuesuan import-tables`: the nine 公开 tables, as the 决算 software exports them, → a data file.

grid.py opens the workbook (xlsx/safety.py's caps) and reads cells; find.py
finds each table by its title and its columns by header text; read.py turns
the tables into leaf facts and declared totals (核对数); emit.py writes the
commented YAML data file.
"""

from yujuesuan.workflows.tables_import.emit import import_tables

__all__ = ["import_tables"]
