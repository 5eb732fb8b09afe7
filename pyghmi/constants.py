"""Public constants shared by every pyghmi interface."""


class Health:
    """Health of a reading or of a whole system.

    Values combine with bitwise OR, so the worst condition of several
    readings is ``functools.reduce(operator.or_, healths)``.
    """

    Ok = 0
    Warning = 1
    Critical = 2
    Failed = 4
