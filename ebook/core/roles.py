"""Contributor roles: the terms Chinese books print and their MARC relator codes."""

from __future__ import annotations

# Printed role term -> (MARC relator code, named in the statement of responsibility).
ROLE_TERMS: dict[str, tuple[str, bool]] = {
    "著": ("aut", True),
    "编著": ("aut", True),
    "撰": ("aut", True),
    "主编": ("edt", True),
    "编": ("com", True),
    "编译": ("trl", True),
    "译": ("trl", True),
    "校": ("rev", True),
    "绘": ("ill", True),
    "责任编辑": ("edt", False),
    "特约编辑": ("edt", False),
    "美术编辑": ("bkd", False),
    "封面设计": ("cov", False),
    "版式设计": ("bkd", False),
    "责任校对": ("pfr", False),
    "责任印制": ("prm", False),
    "序": ("aui", False),
}

# The printed term used when book.yaml gives only a code.
CODE_TERMS: dict[str, str] = {
    "aut": "著",
    "edt": "编辑",
    "com": "编",
    "trl": "译",
    "ill": "绘",
    "bkd": "美术编辑",
    "cov": "封面设计",
    "pfr": "责任校对",
    "aui": "序",
    "rev": "校",
}

# MARC relator codes (id.loc.gov/vocabulary/relators) that books use.
MARC_RELATORS = frozenset(
    """abr acp act adi adp aft anl anm ann ant ape apl app aqt arc arr art asg asn ato att auc
    aud aui aus aut bdd bjd bkd bkp blw bnd bpd brd brl bsl cas ccp chr cli cll clr clt cmm cmp
    cmt cnd cng cns coe col com con cor cos cot cou cov cpc cpe cph cpl cpt cre crp crr crt csl
    csp cst ctb cte ctg ctr cts ctt cur cwt dbp dfd dfe dft dgg dgs dis dln dnc dnr dpc dpt drm
    drt dsr dst dtc dte dtm dto dub edc edm edt egr elg elt eng enj etr evp exp fac fds fld flm
    fmd fmk fmo fmp fnd fpy frg gis his hnr hst ill ilu ins inv isb itr ive ivr jud jug lbr lbt
    ldr led lee lel len let lgd lie lil lit lsa lse lso ltg lyr mcp mdc med mfp mfr mod mon mrb
    mrk msd mte mtk mus nrt opn org orm osp oth own pan pat pbd pbl pdr pfr pht plt pma pmn pop
    ppm ppt pra prc prd prf prg prm prn pro prp prs prt prv pta pte ptf pth ptt pup rbr rcd rce
    rcp rdd red ren res rev rpc rps rpt rpy rse rsg rsp rsr rst rth rtm sad sce scl scr sds sec
    sgd sgn sht sll sng spk spn spy srv std stg stl stm stn str tcd tch ths tld tlp trc trl tyd
    tyg uvp vac vdg wac wal wam wat wdc wde win wit wpr wst""".split()
)


def resolve_role(role: str) -> tuple[str, str, bool] | None:
    """Return (code, printed term, primary) for a term or a MARC code, None if unknown."""
    if role in ROLE_TERMS:
        code, primary = ROLE_TERMS[role]
        return code, role, primary
    code = role.strip().lower()
    if code in MARC_RELATORS:
        return code, CODE_TERMS.get(code, code), code in {"aut", "com", "trl"}
    return None
