"""Built-in mental prompts, drawn from how runners train for a faster mile, and the order they come in.

Form keeps the runner efficient when tired, turnover keeps the cadence quick, and mental
strength — mantras, positive self-talk, remembering why you run — carries the hard reps.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Sequence

FORM = ("Tall posture, relaxed shoulders.", "Loose hands, easy jaw.", "Drive the arms, elbows back.",
        "Run tall from the hips.")
TURNOVER = ("Quick light steps.", "Feet land under you.", "Fast feet, soft landing.")
MENTAL = ("You are stronger than you think.", "Remember why you run.", "One rep at a time.",
          "Smooth is fast.", "This is where you get faster.", "Breathe, and stay with it.")
STRENGTH = ("Control the movement.", "Brace your core.", "Breathe steadily.", "Quality over speed.")
HILLS = ("Lean from the ankles.", "Short quick steps up the hill.", "Eyes up, arms driving.")

POOLS: dict[str, tuple[str, ...]] = {
    "intervals": FORM + TURNOVER + MENTAL,
    "fartlek": FORM + TURNOVER + MENTAL,
    "run": FORM + TURNOVER + MENTAL,
    "recovery": FORM + ("Easy does it.", "Relax and enjoy the run."),
    "hills": HILLS + FORM[:2] + MENTAL,
    "stairs": ("Light on the stairs.", "Drive the knees.") + FORM[:2] + MENTAL,
    "core": STRENGTH + MENTAL[:3],
    "strength": STRENGTH + MENTAL[:3],
}


def prompt_pool(kind: str, mantras: Sequence[str], builtin: bool) -> tuple[str, ...]:
    """The workout's own mantras, then (unless turned off) the built-in pool for its kind."""
    pool = list(mantras)
    if builtin:
        pool += [p for p in POOLS.get(kind, ()) if p not in pool]
    return tuple(pool)


def prompt_order(pool: Sequence[str], seed_text: str) -> Iterator[str]:
    """Prompts without repeats until the pool is used up, reshuffled each time through.

    Seeded from `seed_text` (the title), so a rebuild says the same prompts in the same order;
    a new round never starts with the prompt that ended the last one.
    """
    if not pool:
        return
    rng = random.Random(zlib.crc32(seed_text.encode()))
    last = None
    while True:
        order = list(pool)
        rng.shuffle(order)
        if len(order) > 1 and order[0] == last:
            order.append(order.pop(0))
        yield from order
        last = order[-1]
