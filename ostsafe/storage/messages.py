"""The guide's must-share points, word for word where it matters. Guide, "Safe storage": "The following points must
be shared with service users who are living with children"."""

MUST_SHARE = [
    (
        "only_prescribed_person",
        "Only the person it is prescribed for may take it",
        "Medication must only be taken by the person for whom it is prescribed.",
    ),
    (
        "return_old_medicine",
        "Take old medicine back to the pharmacy",
        "Any old or unwanted medication should be returned to the pharmacy.",
    ),
    (
        "box_helps_but_not_childproof",
        "A locked box helps, but is not child-proof",
        "A lockable storage box will not necessarily make your medication secure from children but will help you to "
        "store your medication more safely. Ensure that the box is kept out of the sight and reach of children.",
    ),
    (
        "other_substances",
        "Store other medicines, drugs, alcohol and equipment safely too",
        "Other medications, drugs, alcohol and any paraphernalia must also be safely stored.",
    ),
    (
        "empty_bottles",
        "Wash out empty bottles and put them in the dustbin",
        "Wash out any empty bottles and get rid of them in the dustbin. Do not leave empty bottles where children "
        "might find them.",
    ),
    (
        "not_in_sight_of_children",
        "Never take your medicine where children can see",
        "Do not take OST medication in sight of children.",
    ),
]
MUST_SHARE_KEYS = [key for key, _, _ in MUST_SHARE]
