"""Reading the whole brief: every kind of copy a prompt carries comes out typed."""

from __future__ import annotations

import pytest

from atelier import design
from atelier.design.brief import understand
from atelier.design.copy import extract, lines_of


def kinds(prompt: str) -> list[tuple[str, str]]:
    return [(item.kind, item.text) for item in extract(prompt).items]


def test_an_announcement_keeps_offer_sale_and_code() -> None:
    found = kinds("announcement for Lumen Books: summer sale, 20% off all hardbacks with code READ20")
    assert found == [
        ("name", "Lumen Books"),
        ("occasion", "Summer Sale"),
        ("offer", "20% off all hardbacks"),
        ("code", "Code READ20"),
    ]


def test_a_promo_code_never_picks_a_programming_icon() -> None:
    prompt = "social post for Lumen Books, 20% off with code SAVE20"
    brief = understand(prompt)
    assert "code" not in brief.subject_words
    spec = design.render(prompt, width=600, height=600, seed=1).spec
    assert spec["motif"] not in ("code-braces", "console", "laptop"), spec["motif"]


def test_a_lowercase_word_after_code_is_no_code() -> None:
    assert not extract("logo with code for a tech startup").of("code")


def test_an_event_poster_keeps_name_venue_day_and_hours() -> None:
    found = kinds("poster for Riverside Jazz Night at The Blue Room, 12 Harbour Street, Saturday 7–11 pm")
    assert found == [
        ("name", "Riverside Jazz Night"),
        ("venue", "The Blue Room"),
        ("address", "12 Harbour Street"),
        ("weekday", "Saturday"),
        ("time", "7–11 pm"),
    ]


def test_a_business_card_keeps_title_name_specialty_phone_and_web() -> None:
    found = kinds("business card for Dr. Maria Lopez, pediatric dentist, phone +1 555 014 2200, www.lopezsmiles.com")
    assert found == [
        ("name", "Dr. Maria Lopez"),
        ("tagline", "Pediatric dentist"),
        ("phone", "+1 555 014 2200"),
        ("web", "www.lopezsmiles.com"),
    ]
    # the label "phone" is no subject word
    assert "phone" not in understand("business card for Dr. Maria Lopez, phone +1 555 014 2200").subject_words


def test_black_friday_stays_a_name_and_a_black_logo_is_a_colour() -> None:
    copy = extract("Black Friday sale poster for Nova Electronics, 30% off everything")
    assert copy.texts("title") == ["Black Friday"] and copy.texts("name") == ["Nova Electronics"]
    assert copy.texts("offer") == ["30% off everything"] and not copy.of("weekday")
    assert understand("Black Friday sale poster for Nova Electronics").colors == ()
    assert understand("Black Friday poster").headline == "Black Friday"
    brief = understand("a black logo for Northwind Coffee")
    assert brief.headline == "Northwind Coffee" and brief.color_words == ("black",)


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("poster for 'We didn't start the fire' tribute night", "We didn't start the fire"),
        ("poster for ‘Don’t Stop Me Now’ karaoke", "Don’t Stop Me Now"),
        ("poster for \"Rock 'n' Roll Revival\"", "Rock 'n' Roll Revival"),
        ("card for 'Kids' Corner' and 'Story time'", "Kids"),
    ],
)
def test_an_apostrophe_inside_a_word_does_not_end_a_quote(prompt: str, title: str) -> None:
    assert extract(prompt).texts("name") == [title]


def test_a_second_quote_and_a_labelled_one_are_taglines() -> None:
    copy = extract("logo for 'Blue Fern', slogan 'grown with care', 'since the start'")
    assert copy.texts("name") == ["Blue Fern"] and copy.texts("tagline") == ["grown with care", "since the start"]
    assert extract("logo for Acme, tagline: built to last").texts("tagline") == ["Built to last"]


@pytest.mark.parametrize(
    ("prompt", "date"),
    [
        ("festival March 3–5", "March 3–5"),
        ("closed Dec 24 - Jan 2", "Dec 24 - Jan 2"),
        ("fair 3-5 June 2026", "3-5 June 2026"),
        ("gala on Sat, June 21", "Sat, June 21"),
        ("launch 2026-06-21", "2026-06-21"),
        ("meetup 6/21/26", "6/21/26"),
        ("open May 1st to May 3rd", "May 1st to May 3rd"),
    ],
)
def test_dates_and_date_ranges_are_whole(prompt: str, date: str) -> None:
    assert extract(prompt).texts("date") == [date]


@pytest.mark.parametrize(
    ("prompt", "time"),
    [
        ("party 7pm", "7pm"),
        ("gig 7–11 pm", "7–11 pm"),
        ("bar 7:30 pm to midnight", "7:30 pm to midnight"),
        ("at 19:00", "19:00"),
    ],
)
def test_times_and_time_ranges(prompt: str, time: str) -> None:
    assert extract(prompt).texts("time") == [time]


def test_weekdays_and_their_ranges() -> None:
    assert extract("open Mon–Fri 9am-5pm").texts("weekday") == ["Mon–Fri"]
    assert extract("quiz every Thursday").texts("weekday") == ["Every Thursday"]
    assert extract("Taco Tuesday poster").texts("weekday") == []


def test_offers_and_prices() -> None:
    assert extract("laptops from $899").texts("offer") == ["From $899"]
    assert extract("up to 50% off selected shoes").texts("offer") == ["Up to 50% off selected shoes"]
    assert extract("buy one get one free on pizza").texts("offer") == ["Buy one get one free"]
    assert extract("classes only €15 per person").texts("offer") == ["Only €15 per person"]


def test_contacts_email_web_and_phone() -> None:
    copy = extract("flyer, call 020 7946 0958, email hello@fern.co.uk, visit https://fern.co.uk/menu")
    assert copy.texts("phone") == ["020 7946 0958"]
    assert copy.texts("email") == ["hello@fern.co.uk"]
    assert copy.texts("web") == ["https://fern.co.uk/menu"]
    assert not extract("banner 1500x500 for 2026-06-21").of("phone")


def test_ages_and_counts_keep_their_number() -> None:
    copy = extract("birthday card for Grandma Rose turning 90")
    assert copy.texts("name") == ["Grandma Rose"] and copy.texts("count") == ["Turning 90"]
    assert extract("our 25th anniversary").texts("count") == ["25th anniversary"]
    assert extract("bakery est. 1987").texts("count") == ["Est. 1987"]
    assert extract("only 20 seats left").texts("count") == ["Only 20 seats left"]


def test_calls_to_action() -> None:
    assert extract("spa poster, book now").texts("cta") == ["Book now"]
    assert extract("wedding invitation, RSVP by May 1").texts("cta") == ["RSVP by May 1"]
    assert not extract("wedding invitation, RSVP by May 1").of("date")
    assert extract("webinar, register today").texts("cta") == ["Register today"]


def test_venues_and_addresses() -> None:
    copy = extract("gig at The Jazz Cellar, 4 Elm Road, Bristol")
    assert copy.texts("venue") == ["The Jazz Cellar"] and copy.texts("address") == ["4 Elm Road, Bristol"]
    assert extract("talk held at Riverside Hall").texts("venue") == ["Riverside Hall"]


def test_details_line_orders_weekday_date_time() -> None:
    copy = extract("party 8pm Saturday June 21")
    assert lines_of(copy.items)["details"] == "Saturday June 21 · 8pm"


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Instagram story: Flash sale! 50% off today only, use code FLASH50 at checkout",
            [("name", "Flash Sale"), ("offer", "50% off"), ("offer", "Today only"), ("code", "Code FLASH50")],
        ),
        (
            "poster for the Maple Street Bake Sale at St Mary's Hall, Oct 4",
            [("name", "Maple Street Bake Sale"), ("venue", "St Mary's Hall"), ("date", "Oct 4")],
        ),
        (
            "wedding invitation: Sarah & James, Saturday 14 June 2025, 3 pm, Rosewood Manor",
            [
                ("name", "Sarah & James"),
                ("date", "Saturday 14 June 2025"),
                ("time", "3 pm"),
                ("venue", "Rosewood Manor"),
            ],
        ),
        (
            "Announcement for Bella's Bakery grand opening, free coffee for the first 50 guests",
            [
                ("name", "Bella's Bakery"),
                ("occasion", "Grand Opening"),
                ("offer", "Free coffee"),
                ("count", "For the first 50 guests"),
            ],
        ),
        (
            "banner: Cyber Monday deals, up to 70% off laptops, ends midnight",
            [("name", "Cyber Monday"), ("offer", "Up to 70% off laptops"), ("offer", "Ends midnight")],
        ),
    ],
)
def test_briefs_a_designer_gets(prompt: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(prompt) == expected


def test_without_a_name_the_occasion_heads_the_design() -> None:
    brief = understand("Instagram story: Flash sale! 50% off today only, use code FLASH50 at checkout")
    assert brief.headline == "Flash Sale" and brief.subline is None


@pytest.mark.parametrize(
    ("prompt", "sign_off"),
    [
        ("card: 'Thank You' from the Lopez family", "From the Lopez family"),
        ("birthday card for Mia, love, Tom & Ana", "Love, Tom & Ana"),
        ("thank you card with thanks from Team Nova", "With thanks from Team Nova"),
    ],
)
def test_a_cards_sign_off_is_copy_and_is_set(prompt: str, sign_off: str) -> None:
    assert ("signoff", sign_off) in kinds(prompt)
    spec = design.render(prompt, width=700, height=500, seed=3).spec
    assert sign_off in [layer.get("text") for layer in spec["layers"] if layer["type"] == "text"]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("laptops from $899", ("offer", "From $899")),
        ("open from 10am to 4pm", ("time", "10am to 4pm")),
        ("card from Monday", ("weekday", "Monday")),
        ("ships from Berlin", ("name", "Berlin")),
    ],
)
def test_from_is_a_sign_off_only_on_a_card_and_never_a_price_time_or_day(
    prompt: str, expected: tuple[str, str]
) -> None:
    assert kinds(prompt) == [expected]
