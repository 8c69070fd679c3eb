"""What practitioners say in PLD focus groups, by theme and kind of note.

The theme words are deliberately spelt many ways (case, plurals, hyphens) to exercise a theme matcher.
"""

NOTES = {
    "voice of the child": (
        (
            "The voice of the child is much clearer in our recording since the PLD.",
            "We are getting better at using the child's own words in assessments.",
            "Children's voices come through strongly in the plans we looked at.",
        ),
        (
            "Hard to capture the Voice of the Child when visits are rushed.",
            "We don't always record what the child actually said, just what we think.",
            "Younger children's views are missing - we rely on what parents tell us.",
        ),
        (
            "Share examples of good 'voice of the child' recording at team meetings.",
            "Write plans and letters to the child, so their voice is at the centre.",
            "Use the child's wishes and feelings tools before every review.",
        ),
    ),
    "caseloads": (
        (
            "Caseloads have come down a bit since the new starters joined.",
            "Manager protects caseload sizes for newly qualified workers, which really helps.",
        ),
        (
            "High caseloads mean direct work gets squeezed out.",
            "Case loads of 25+ make it impossible to keep recording up to date.",
            "CASELOADS are the biggest barrier, everything else follows from that.",
        ),
        (
            "Cap caseloads for ASYE workers at 15.",
            "Review caseload weighting so complex cases count for more.",
        ),
    ),
    "supervision": (
        (
            "Supervision is regular and feels reflective, not just case management.",
            "Group supervision has been really useful for sharing ideas.",
        ),
        (
            "Supervisions get cancelled when the team is busy.",
            "Supervision is mostly a list of cases, with little time to reflect.",
            "Not had supervision for two months, due to sickness in the team.",
        ),
        (
            "Protect supervision time in diaries - treat it like a court date.",
            "Reflective supervision sessions once a month, separate to case discussion.",
        ),
    ),
    "multi-agency working": (
        (
            "Multi-agency working with schools is strong, they come to every core group.",
            "Good relationships with health visitors, information sharing is quick.",
            "Multi agency meetings are well attended and focused.",
        ),
        (
            "Partner agencies don't always send reports before conferences.",
            "Hard to get police to attend strategy meetings at short notice.",
            "Multi-Agency working with adult mental health services is difficult.",
        ),
        (
            "Joint training with partners, so we understand each other's thresholds.",
            "A named contact in each partner agency would help multi-agency working.",
        ),
    ),
    "recording systems": (
        (
            "The new case note templates in Mosaic are quicker to use.",
            "Recording system changes mean chronologies update themselves now.",
        ),
        (
            "Mosaic keeps timing out and we lose work.",
            "Too many clicks in the recording system - it takes longer to record than to visit.",
            "Recording Systems don't talk to each other, so we type things twice.",
        ),
        (
            "Make the recording system work on our phones for visits.",
            "Shorter forms in the recording system, with fewer mandatory fields.",
        ),
    ),
    "training": (
        (
            "Training on trauma-informed practice was excellent.",
            "Good access to training courses this year.",
        ),
        (
            "No time to attend training because of the caseload.",
            "Training is often cancelled or full.",
        ),
        (
            "More training on analysis and writing assessments.",
            "Refresher training on court skills for experienced staff.",
            "Short, bite-size Training sessions in team meetings.",
        ),
    ),
    "management oversight": (
        (
            "Management oversight is clear on the case record, decisions have a rationale.",
            "Team managers are visible and easy to reach.",
        ),
        (
            "Management oversight is not always recorded, even when decisions are made.",
            "Manager oversight is hard to evidence when the TM is covering two teams.",
        ),
        (
            "A simple template for Management Oversight entries.",
            "Managers to add a short oversight note after every supervision.",
        ),
    ),
    "direct work tools": (
        (
            "The new direct work tools are great with younger children.",
            "Direct-work resources in the team room are well used.",
        ),
        (
            "We lack direct work tools for teenagers.",
            "Direct work toolkits are out of date and hard to find.",
        ),
        (
            "A shared library of direct work tools, online and in each office.",
            "Training on using direct work tools with disabled children.",
        ),
    ),
    "court work": (
        (
            "Court work has improved, statements are more focused.",
            "Legal gateway meetings help us prepare for court.",
        ),
        (
            "Court deadlines take over everything else for weeks.",
            "PLO and court work are stressful with little admin support.",
        ),
        (
            "Court work mentoring from experienced staff.",
            "Admin support for court bundles.",
        ),
    ),
    "placement sufficiency": (
        ("Placement matching has been thoughtful, children stay closer to home.",),
        (
            "Placement sufficiency is a real problem - children placed far from home.",
            "Lack of placements for teenagers with complex needs.",
            "Placements break down because there is no choice at the start.",
        ),
        (
            "Recruit more local foster carers for older children.",
            "Earlier planning with the placements team.",
        ),
    ),
    "emotional wellbeing": (
        (
            "The team looks after each other's emotional wellbeing.",
            "Wellbeing check-ins at team meetings really help.",
        ),
        (
            "Emotional well-being of staff is suffering after difficult cases.",
            "Staff are tired, emotional wellbeing is not talked about enough.",
        ),
        (
            "Access to clinical support to protect staff emotional wellbeing.",
            "Debriefs after difficult visits, for staff Emotional Wellbeing.",
        ),
    ),
}
THEMES = tuple(NOTES)
