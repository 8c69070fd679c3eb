"""What children, parents and carers said, and how it sits beside the audits it was gathered with.

Each response answers up to three 1-5 questions; a 4 or 5 counts as agreeing, and each question's
denominator is the responses that answered it. Every query starts from ``scoped`` (feedback within the
filters, with its linked audit's case type and audit tool, so those filters drop feedback with no audit)
and ``answers`` (one row per question answered). Both read the ``voice_cube`` mart, where each row stands
for ``n`` responses with the same values, and the same agreement with each question.
"""

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render
from qa_read.grades import check_scale, with_interval

# (column, label) in the order the form asks them.
QUESTIONS = (
    ("listened_to", "Felt listened to"),
    ("understood_why", "Understood why services are involved"),
    ("things_better", "Said things got better"),
)
DIMENSIONS = ("cycle", "respondent", "service_area", "team")
VOICE_AREA = "Voice of the child"  # the practice area, and the PLD theme, this page is about
# Labels of the two groups of audits, per scale: (good or better, the rest).
AUDIT_GROUPS = {"Ofsted": ("Good or better", "Below good"), "Assurance": ("High", "Medium or low")}

ANSWERS = """
    scoped AS (
        SELECT v.* FROM voice_cube v WHERE {where}
    ), answers AS (
        -- UNPIVOT leaves out NULLs: a question left blank is not in its denominator.
        UNPIVOT scoped ON listened_to, understood_why, things_better INTO NAME question VALUE agreed
    ), questions(question, label, position) AS (
        VALUES ('listened_to', 'Felt listened to', 1),
               ('understood_why', 'Understood why services are involved', 2),
               ('things_better', 'Said things got better', 3)
    )"""
AGREEMENT = """
    WITH {answers}, labelled AS (
        SELECT question, coalesce({dimension}, ?) AS {dimension}, agreed, n FROM answers
    )
    SELECT q.question, q.label, l.{dimension}, sum(n)::BIGINT AS n,
           coalesce(sum(n) FILTER (WHERE agreed), 0)::BIGINT AS k
    FROM labelled l JOIN questions q USING (question)
    GROUP BY q.position, q.question, q.label, l.{dimension}
    ORDER BY q.position, l.{dimension}
"""
BY_AUDIT_GRADE = """
    WITH {answers}, graded AS (
        SELECT ans.question, ans.agreed, ans.n, g.good_or_better
        FROM answers ans JOIN grade_scale g ON g.scale = ans.scale AND g.grade = ans.overall_grade
        WHERE ans.scale = ?
    ), groups(good_or_better, audit_grade) AS (
        VALUES (true, ?), (false, ?)
    ), grid AS (
        SELECT q.*, gr.* FROM questions q CROSS JOIN groups gr
    ), counted AS (
        SELECT question, good_or_better, sum(n) AS n, sum(n) FILTER (WHERE agreed) AS k
        FROM graded GROUP BY ALL
    )
    SELECT grid.question, grid.label, grid.audit_grade, grid.good_or_better,
           coalesce(c.n, 0)::BIGINT AS n, coalesce(c.k, 0)::BIGINT AS k
    FROM grid LEFT JOIN counted c USING (question, good_or_better)
    ORDER BY grid.position, grid.good_or_better DESC
"""
# The mart carries each linked audit's grade for VOICE_AREA as voice_grade.
BY_VOICE_GRADE = """
    WITH {answers}, voiced AS (
        SELECT voice_grade AS grade, agreed, n FROM answers
        WHERE question = ? AND scale = ? AND voice_grade IS NOT NULL
    ), counted AS (
        SELECT grade, sum(n) AS n, sum(n) FILTER (WHERE agreed) AS k FROM voiced GROUP BY grade
    )
    SELECT g.grade, g.rank, coalesce(c.n, 0)::BIGINT AS n, coalesce(c.k, 0)::BIGINT AS k
    FROM grade_scale g LEFT JOIN counted c USING (grade)
    WHERE g.scale = ?
    ORDER BY g.rank
"""
RESPONSES = """
    WITH {answers}
    SELECT respondent, sum(n)::BIGINT AS responses, coalesce(sum(n) FILTER (WHERE linked), 0)::BIGINT AS linked
    FROM scoped GROUP BY ALL ORDER BY respondent
"""
THEMED_PLDS = """
    WITH scoped AS (
        SELECT p.* FROM pld_events p WHERE {where} AND p.held_date IS NOT NULL
    )
    SELECT cycle, count(*) FILTER (WHERE lower(theme) = lower(?)) AS themed, count(*) AS held
    FROM scoped GROUP BY cycle HAVING themed > 0 ORDER BY cycle
"""


def check_question(question: str) -> str:
    if question not in dict(QUESTIONS):
        raise ValueError(f"question must be one of {[q for q, _ in QUESTIONS]}, not {question!r}")
    return question


def answers_ctes(f: Filters) -> tuple[str, list]:
    """The ``scoped``, ``answers`` and ``questions`` CTEs (to follow a WITH) and their parameters."""
    where, params = f.where(C.VOICE_CUBE)
    return render(ANSWERS, where=where), params


@cached
def agreement(wh: Warehouse, f: Filters, by: str = "cycle") -> pd.DataFrame:
    """Agreement with each question by one dimension.

    Columns: question, label, <by>, n (responses that answered), k (agreed: 4 or 5), share, lower, upper,
    small_n. ``by`` is one of DIMENSIONS; a missing team reads "Not recorded".
    """
    # ``by`` is an identifier, so it is checked against the allow-list, never bound.
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}, not {by!r}")
    answers, params = answers_ctes(f)
    sql = render(AGREEMENT, answers=answers, dimension=by)
    return with_interval(wh.query(sql, [*params, C.NOT_RECORDED]))


@cached
def agreement_by_audit_grade(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Agreement among feedback whose audit was graded good or better overall, and the rest.

    Columns: question, label, audit_grade ("Good or better" / "Below good", or "High" / "Medium or low"),
    good_or_better, n, k, share, lower, upper, small_n. Both groups for every question, zeros too. Only
    feedback linked to an audit on ``scale`` with an overall grade counts.
    """
    scale = check_scale(scale)
    answers, params = answers_ctes(f)
    sql = render(BY_AUDIT_GRADE, answers=answers)
    return with_interval(wh.query(sql, [*params, scale, *AUDIT_GROUPS[scale]]))


@cached
def agreement_by_voice_grade(
    wh: Warehouse, f: Filters, question: str = "listened_to", scale: str = "Ofsted"
) -> pd.DataFrame:
    """The family's answer to one question against the audit's "Voice of the child" grade.

    Columns: grade, rank, n, k, share, lower, upper, small_n; every grade of the scale in order, zeros too.
    """
    scale = check_scale(scale)
    answers, params = answers_ctes(f)
    sql = render(BY_VOICE_GRADE, answers=answers)
    return with_interval(wh.query(sql, [*params, check_question(question), scale, scale]))


@cached
def responses(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: respondent, responses, linked (responses whose audit is in the warehouse)."""
    answers, params = answers_ctes(f)
    return wh.query(render(RESPONSES, answers=answers), params)


@cached
def voice_plds(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Cycles in which a PLD themed on the voice of the child was held.

    Columns: cycle, themed (PLDs held on that theme), held (all PLDs held that cycle). PLDs carry no team,
    so a team filter does not narrow them (and a team-limited scope sees none).
    """
    where, params = f.where(C.PLD_EVENTS)
    return wh.query(render(THEMED_PLDS, where=where), [*params, VOICE_AREA])
