"""yujuesuan (预决算): one unit's figures for one year → its 部门决算 document."""

__version__ = "0.1.0"
