"""Predicates about people, combined into permissions by each app's `rules.py`."""

import rules

from tandem.access.roles import Role, roles_of


@rules.predicate
def holds_any_role(user: object) -> bool:
    """Signed in and given at least one Tandem role: an account alone grants nothing."""
    return bool(roles_of(user))  # type: ignore[arg-type]


def holds_role(*roles: Role) -> rules.Predicate:
    """A predicate true for someone signed in who holds at least one of the given roles."""
    if not roles:
        raise ValueError("holds_role() needs at least one role")
    wanted = frozenset(Role(role) for role in roles)

    def check(user: object) -> bool:
        return bool(roles_of(user) & wanted)  # type: ignore[arg-type]

    return rules.Predicate(check, name=f"holds_role({', '.join(sorted(wanted))})")
