"""The Sichuan layout's code (profile ``sichuan``, reference 003): 川05/川07/川09, its facts and charts.

derive.py derives the tables and facts (``figures.facts["四川"]``) and checks the
经济分类 codes of its blocks; tables.py lays out the three tables and draws the
charts 图2, 图3, 图5–图7. A profile.yaml says ``code: sichuan`` to get them.
"""

from __future__ import annotations

from yujuesuan.kinds.juesuan.profiles import ProfileCode
from yujuesuan.kinds.juesuan.profiles.sichuan.derive import check_codes, derive
from yujuesuan.kinds.juesuan.profiles.sichuan.tables import SICHUAN_BUILDERS, SICHUAN_FIGURES

# The facts the layout states beyond the nine tables, by the names profile.yaml ``requires`` uses.
FACTS = ("项目支出经济分类", "其他财政拨款经济分类", "三公经费明细", "公务用车明细", "机构设置", "绩效管理情况")
# The optional input blocks this layout reads (model.extra; their schema is validate_extra.py's).
BLOCKS = ("项目支出经济分类", "其他财政拨款经济分类", "公务用车明细", "机构设置", "绩效管理情况", "名词解释", "附件")

CODE = ProfileCode(
    name="sichuan",
    facts=FACTS,
    derive=derive,
    missing_rule="missing-fact",
    blocks=BLOCKS,
    builders=SICHUAN_BUILDERS,
    charts=SICHUAN_FIGURES,
    check=check_codes,
)
