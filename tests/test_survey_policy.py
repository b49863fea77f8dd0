"""The survey and retention keys of [policy]: read into the domain policy, bad values named."""

import pytest
from pydantic import ValidationError

from settings.config import PolicySection


def test_survey_and_retention_keys_reach_the_policy():
    policy = PolicySection(
        survey_remind_after="2d", survey_reminders=1, survey_yearly_on="03-15", survey_move_in=True, retention_years=3
    ).to_policy()
    assert policy.survey_remind_after.days == 2 and policy.survey_reminders == 1
    assert policy.survey_yearly_on == "03-15" and policy.survey_move_in and policy.retention_years == 3
    defaults = PolicySection().to_policy()
    assert defaults.retention_years == 2 and defaults.survey_yearly_on is None and not defaults.survey_move_in


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("survey_yearly_on", "15-03", "is not a day of the year"),
        ("survey_remind_after", "soon", ""),
        ("retention_years", 1, "greater than or equal to 2"),
    ],
)
def test_bad_survey_and_retention_keys_are_refused(key, value, problem):
    with pytest.raises(ValidationError) as error:
        PolicySection(**{key: value})
    assert problem in str(error.value)
