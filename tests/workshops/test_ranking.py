"""The Borda count of "rank your top 5" (workshops.ranking)."""

from workshops.ranking import borda_count

OPTIONS = ["Luminarias", "Microtráfico", "Perros sueltos", "Basura", "Robos", "Tránsito"]


def points(rows):
    return {row["label"]: row["points"] for row in rows}


def test_first_place_earns_five_points_down_to_one_for_fifth():
    rows = borda_count([[0, 1, 2, 3, 4]], OPTIONS)
    assert points(rows) == {
        "Luminarias": 5,
        "Microtráfico": 4,
        "Perros sueltos": 3,
        "Basura": 2,
        "Robos": 1,
        "Tránsito": 0,
    }


def test_points_add_up_over_ballots_and_sort_the_options():
    rows = borda_count([[4, 0], [0, 4, 5], [5]], OPTIONS)
    # Luminarias 4 + 5 = 9, Robos 5 + 4 = 9, Tránsito 3 + 5 = 8.
    assert [(row["label"], row["points"]) for row in rows[:3]] == [
        ("Luminarias", 9),
        ("Robos", 9),
        ("Tránsito", 8),
    ]
    assert rows[0]["first"] == 1 and rows[0]["mentions"] == 2


def test_ties_go_to_more_first_places_then_to_the_written_order():
    rows = borda_count([[3], [4, 1, 2, 5, 0], [2, 1]], OPTIONS)
    # Perros 3 + 5 = 8 with one first place beats Microtráfico 4 + 4 = 8 with none; Basura and Robos
    # have 5 points and one first place each, so Basura (written before Robos) goes first.
    assert [(row["label"], row["points"], row["first"]) for row in rows] == [
        ("Perros sueltos", 8, 1),
        ("Microtráfico", 8, 0),
        ("Basura", 5, 1),
        ("Robos", 5, 1),
        ("Tránsito", 2, 0),
        ("Luminarias", 1, 0),
    ]
    # The module docstring's example.
    example = borda_count([[0, 1, 2], [1, 0], [2]], ["A", "B", "C"])
    assert [(row["label"], row["points"]) for row in example] == [("A", 9), ("B", 9), ("C", 8)]


def test_repeats_out_of_range_values_and_a_sixth_place_earn_nothing():
    rows = borda_count([[0, 0, 99, -1, True, "1", 1, 2, 3, 4, 5]], OPTIONS)
    assert points(rows) == {
        "Luminarias": 5,
        "Microtráfico": 4,
        "Perros sueltos": 3,
        "Basura": 2,
        "Robos": 1,
        "Tránsito": 0,
    }


def test_no_ballots_gives_zero_for_every_option_in_written_order():
    rows = borda_count([], OPTIONS)
    assert [row["label"] for row in rows] == OPTIONS
    assert all(row["points"] == 0 for row in rows)
