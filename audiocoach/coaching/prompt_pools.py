"""Built-in mental prompts, drawn from how runners train for a faster mile, and the order they come in.

Form keeps the runner efficient when tired, turnover keeps the cadence quick, and mental
strength — mantras, positive self-talk, remembering why you run — carries the hard reps.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Mapping, Sequence

FORM = ("Tall posture, relaxed shoulders.", "Loose hands, easy jaw.", "Drive the arms, elbows back.",
        "Run tall from the hips.")
TURNOVER = ("Quick light steps.", "Feet land under you.", "Fast feet, soft landing.")
MENTAL = ("You are stronger than you think.", "Remember why you run.", "One rep at a time.",
          "Smooth is fast.", "This is where you get faster.", "Breathe, and stay with it.")
STRENGTH = ("Control the movement.", "Brace your core.", "Breathe steadily.", "Quality over speed.")
HILLS = ("Lean from the ankles.", "Short quick steps up the hill.", "Eyes up, arms driving.")



def make_pools(form: tuple[str, ...], turnover: tuple[str, ...], mental: tuple[str, ...], strength: tuple[str, ...],
               hills: tuple[str, ...], easy: tuple[str, ...], stairs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The pool for each workout kind, from one language's prompts (the same mix in every language)."""
    return {
        "intervals": form + turnover + mental,
        "fartlek": form + turnover + mental,
        "run": form + turnover + mental,
        "recovery": form + easy,
        "hills": hills + form[:2] + mental,
        "stairs": stairs + form[:2] + mental,
        "core": strength + mental[:3],
        "strength": strength + mental[:3],
    }


POOLS = make_pools(FORM, TURNOVER, MENTAL, STRENGTH, HILLS, ("Easy does it.", "Relax and enjoy the run."),
                   ("Light on the stairs.", "Drive the knees."))


def prompt_pool(kind: str, mantras: Sequence[str], pools: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The workout's own mantras, then the built-in pool for its kind from `pools` (empty: turned off)."""
    pool = list(mantras)
    pool += [p for p in pools.get(kind, ()) if p not in pool]
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
