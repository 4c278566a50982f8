from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "tandem.delivery"
    verbose_name = "Programmes, groups and sessions"

    def ready(self) -> None:
        # Workforce's rule mentoring counts the group sessions a mentee and mentor co-worked:
        # sessions are delivery's records, and workforce sits below delivery, so delivery
        # provides the count (see tandem.workforce.mentoring).
        from tandem.delivery.selectors import (
            sessions_co_facilitated_count,
            sessions_co_facilitated_count_expression,
        )
        from tandem.workforce.mentoring import CoWorkedSessions, co_worked_sessions_provide

        co_worked_sessions_provide(
            CoWorkedSessions(
                count=sessions_co_facilitated_count,
                count_expression=sessions_co_facilitated_count_expression,
            )
        )
