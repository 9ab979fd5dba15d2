"""The pool's forms say what is wrong with a number in the field's own words ("The fee cannot be negative."),
never Django's generic "Ensure this value is greater than or equal to 0.", and once: a field checked by the form,
the model and the database refuses a value with one message."""

import pytest

from pool.forms_board import BoardFilterForm, CoverageForm, InviteForm, ProfileForm, ProgrammeForm
from pool.forms_qualifications import QualificationForm

pytestmark = pytest.mark.django_db

PROFILE = {"home_area": "", "home_latitude": "53.8", "home_longitude": "-1.5", "travel_km": "25",
           "payment_method": "", "paypal_email": "", "account_name": "", "iban": "", "bic": ""}
PROGRAMME = {"name": "Spring", "claim_rule": "first_come", "lockout_days": "90", "max_open_visits": "2"}
QUIZ = {"name": "Store visit certification", "kind": "quiz", "valid_months": "12", "pass_percent": "80",
        "max_attempts": "3", "cooling_off_days": "7", "active": "on"}

TRAVEL = "Travel distance must be a whole number of km between 1 and 1000."
LATITUDE = "Latitude must be between -90 and 90."
LATITUDE_NUMBER = "Latitude must be a number written with the digits 0 to 9, e.g. 53.7997."
WITHIN = "Give a whole number of km between 1 and 1000, or leave it empty for any distance."
FEE = "The fee must be an amount between 0 and 100000, e.g. 25.50."
LOCKOUT = "Days between visits must be a whole number between 0 (repeat visits allowed) and 3650."
OPEN = "Open visits at once must be a whole number between 1 and 100."
RATING = "The minimum rating must be between 0 and 5, with one decimal at most (e.g. 3.5), or empty for no minimum."
DAYS = "Give a whole number of days between 0 and 90."
PASS = "The pass mark must be a percentage, a whole number between 1 and 100."
ATTEMPTS = "Attempts allowed must be a whole number between 1 and 20."
WAIT = "Days to wait must be a whole number between 0 and 365."
VALID = "The validity must be a whole number of months between 1 and 120, or empty if it never expires."


@pytest.mark.parametrize("make, data, field, value, message", [
    (ProfileForm, PROFILE, "travel_km", "0", TRAVEL),
    (ProfileForm, PROFILE, "travel_km", "-5", TRAVEL),  # below the form's 0, the model's 1: said once
    (ProfileForm, PROFILE, "travel_km", "5000", TRAVEL),
    (ProfileForm, PROFILE, "travel_km", "2.5", TRAVEL),
    (ProfileForm, PROFILE, "home_latitude", "-95", LATITUDE),
    (ProfileForm, PROFILE, "home_latitude", "9" * 30, LATITUDE),  # too many digits and out of range: once
    (ProfileForm, PROFILE, "home_latitude", "north", LATITUDE_NUMBER),
    (ProfileForm, PROFILE, "home_longitude", "181", "Longitude must be between -180 and 180."),
    (BoardFilterForm, {}, "max_km", "0", WITHIN),
    (BoardFilterForm, {}, "max_km", "abc", WITHIN),
    (BoardFilterForm, {}, "min_fee", "-1", "The fee cannot be negative."),
    (BoardFilterForm, {}, "min_fee", "1e999", FEE),
    (BoardFilterForm, {}, "min_fee", "2.505", "Give the fee with two decimals at most, e.g. 25.50."),
    (ProgrammeForm, PROGRAMME, "lockout_days", "-1", LOCKOUT),
    (ProgrammeForm, PROGRAMME, "lockout_days", "4000", LOCKOUT),
    (ProgrammeForm, PROGRAMME, "max_open_visits", "0", OPEN),
    (ProgrammeForm, PROGRAMME, "max_open_visits", "-1", OPEN),
    (ProgrammeForm, PROGRAMME, "min_rating", "5.5", RATING),
    (ProgrammeForm, PROGRAMME, "min_rating", "-1", RATING),
    (ProgrammeForm, PROGRAMME, "min_rating", "3.25", RATING),
    (CoverageForm, {}, "days", "-1", DAYS),
    (CoverageForm, {}, "days", "91", DAYS),
    (QualificationForm, QUIZ, "pass_percent", "150", PASS),
    (QualificationForm, QUIZ, "pass_percent", "0", PASS),
    (QualificationForm, QUIZ, "max_attempts", "0", ATTEMPTS),
    (QualificationForm, QUIZ, "cooling_off_days", "-1", WAIT),
    (QualificationForm, QUIZ, "valid_months", "0", VALID),
    (QualificationForm, QUIZ, "valid_months", "-3", VALID),
])
def test_a_number_out_of_range_is_refused_in_the_fields_own_words_once(make, data, field, value, message):
    form = make(dict(data, **{field: value}))
    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert "Ensure" not in str(form.errors) and "Enter a" not in str(form.errors)


def test_the_invitation_button_of_a_visit_no_longer_there_says_so():
    form = InviteForm({"only": "-3"}, visits=[1])
    assert form.errors["only"] == ["This visit is no longer unclaimed: reload the page."]


def test_other_digits_are_still_asked_for_in_0_to_9_and_once():
    form = ProgrammeForm(dict(PROGRAMME, max_open_visits="٣٠٠"))  # read by Python as 300, out of range too
    assert form.errors["max_open_visits"] == ["Type the number with the digits 0 to 9."]
    form = ProfileForm(dict(PROFILE, home_latitude="٩٥"))
    assert form.errors["home_latitude"] == [LATITUDE_NUMBER]
    form = QualificationForm(dict(QUIZ, pass_percent="٨٠"))  # Python reads 80, in range: still refused
    assert form.errors["pass_percent"] == ["Type the number with the digits 0 to 9."]


def test_numbers_in_range_pass():
    assert BoardFilterForm({"max_km": "1000", "min_fee": "0"}).is_valid()
    assert ProfileForm(dict(PROFILE, travel_km="1000", home_latitude="-90", home_longitude="180")).is_valid()
    assert CoverageForm({"days": "0"}).is_valid() and CoverageForm({"days": "90"}).is_valid()
