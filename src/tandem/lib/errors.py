"""The one exception a service raises when the standards (or the data) refuse an action.

Pages show it in the error summary next to the field it names; the API answers 400 with it.
"""


class ActionRefused(Exception):
    """An action refused for a reason the person can act on.

    `rule_id` names the rule in rules.md that refuses it (if one does); `field` names the input
    at fault (if one is).
    """

    def __init__(self, message: str, *, rule_id: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.rule_id = rule_id
        self.field = field

    def as_api_error(self, *, field_names: dict[str, str] | None = None) -> dict[str, object]:
        """The 400 body: `{field: [message]}` like DRF's own validation errors (the field as the
        API names it, via `field_names`), or `non_field_errors` when no one field is at fault,
        plus `rule` when a rule refused it."""
        field = (field_names or {}).get(self.field, self.field) or "non_field_errors"
        body: dict[str, object] = {field: [self.message]}
        if self.rule_id:
            body["rule"] = self.rule_id
        return body


class StaleRecord(ActionRefused):
    """Someone else changed the record since it was read: reload rather than overwrite."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} was changed by someone else since you opened it: reload it and try again",
            field="version",
        )
