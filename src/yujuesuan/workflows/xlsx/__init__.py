"""Excel workbooks: export the tables and every input fact to .xlsx, and import a workbook back to YAML.

export.export_workbook(figures, profile) → bytes; importer.import_workbook(path) → the text of a YAML
input file. The fact sheets (layout.py) are what import reads; the 公开01–09 sheets are for reading.
"""

from yujuesuan.workflows.xlsx.export import export_workbook
from yujuesuan.workflows.xlsx.importer import import_workbook

__all__ = ["export_workbook", "import_workbook"]
