"""How "rank your top 5" answers become one ranking: a Borda count, explained on the results screen.

Each participant orders up to RANK_SIZE (5) options, most important first. An option in position p
(1 = first) earns RANK_SIZE - p + 1 points: 5 for first, 4 for second … 1 for fifth; options a
participant did not pick earn nothing from that ballot. The options are listed by total points. Ties are
broken by how many people put the option first, then by the order the trainer wrote the options in.

Example with three ballots [A, B, C], [B, A], [C]: A = 5 + 4 = 9, B = 4 + 5 = 9, C = 3 + 5 = 8;
A and B tie on points and on first places (1 each), so A (written first) is listed before B.
"""

from collections.abc import Iterable, Sequence

from workshops.models import RANK_SIZE


def borda_count(
    ballots: Iterable[Sequence[int]], options: Sequence[str], *, size: int = RANK_SIZE
) -> list[dict]:
    """Rank `options` from ballots of option indexes (best first); returns one row per option.

    Rows: {"index", "label", "points", "first", "mentions"}, sorted by points, then first places, then
    the option's own order. Indexes out of range and repeats within a ballot are ignored (the service
    refuses them before saving; this keeps the arithmetic safe for old rows).
    """
    rows = [
        {"index": i, "label": label, "points": 0, "first": 0, "mentions": 0}
        for i, label in enumerate(options)
    ]
    for ballot in ballots:
        seen: set[int] = set()
        position = 0
        for index in ballot:
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(options):
                continue
            if index in seen or position >= size:
                continue
            seen.add(index)
            row = rows[index]
            row["points"] += size - position
            row["mentions"] += 1
            if position == 0:
                row["first"] += 1
            position += 1
    return sorted(rows, key=lambda row: (-row["points"], -row["first"], row["index"]))
