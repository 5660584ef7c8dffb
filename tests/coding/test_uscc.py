from hypothesis import assume, given
from hypothesis import strategies as st

from landgov.coding.uscc import ALPHABET, check_character, validate_uscc

# Published examples (the check character verified by hand against GB 32100's weights).
KNOWN_VALID = ["91350100M000100Y43", "91330602MA2BCDEF1Q"]

first17 = st.tuples(
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


def test_known_codes_validate():
    for code in KNOWN_VALID:
        assert validate_uscc(code) == []


def test_wrong_check_character_names_the_expected_one():
    errors = validate_uscc("91350100M000100Y44")
    assert errors[0].position == 18
    assert "应为 3" in errors[0].reason


def test_forbidden_letters_are_named():
    errors = validate_uscc("91350100M0001O0Y43")
    assert errors[0].position == 14
    assert "I O S V Z" in errors[0].reason


def test_wrong_length():
    assert "长度" in validate_uscc("91350100M000100Y4")[0].reason


@given(first17)
def test_every_generated_code_validates(body):
    assert validate_uscc(body + check_character(body)) == []


@given(first17, st.integers(0, 17), st.sampled_from(ALPHABET + "IOSVZa-"))
def test_every_single_character_corruption_is_caught(body, position, replacement):
    code = body + check_character(body)
    corrupted = code[:position] + replacement + code[position + 1:]
    assume(corrupted != code)
    assert validate_uscc(corrupted) != [], corrupted
