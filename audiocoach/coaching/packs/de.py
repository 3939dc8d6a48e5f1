"""German: the coach's phrases, prompts and the normaliser's words."""

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.phrases import with_neutral
from audiocoach.coaching.prompt_pools import make_pools

PHRASES = with_neutral({
    "kind.warmup": "Aufwärmen", "kind.run": "Lauf", "kind.stride": "Steigerung", "kind.hill": "Bergauf",
    "kind.stairs": "Treppen", "kind.jog": "Traben", "kind.walk": "Gehen", "kind.rest": "Pause",
    "kind.cooldown": "Auslaufen",
    "rep": "Wiederholung {rep} von {reps}", "rep.stride": "Steigerung {rep} von {reps}",
    "rep.hill": "Bergauf {rep} von {reps}", "last_rep": "Der letzte.", "round": "Runde {round} von {rounds}",
    "go": "Los!",
    "summary": "{main}, etwa {duration}.", "summary.plain": "Etwa {duration}.", "summary.repeat": "{reps} mal {length}",
    "summary.rounds": "{reps} Runden", "next": "Als Nächstes: {what}.", "halfway": "Halbzeit.",
    "halfway.long": "Halbzeit.", "remaining": "Noch {time}.", "remaining.short": "Noch {time}.",
    "switch": "Seite wechseln.", "cadence": "Schrittfrequenz {spm}.", "aim": "Ziel {time}",
    "at_pace": "im Tempo {pace}",
    "outro": "Geschafft: {main} in {duration}. Starke Arbeit. Dehnen, und trink etwas.",
    "outro.plain": "Geschafft: {duration}. Starke Arbeit. Dehnen, und trink etwas.",
    "seconds": "{n} Sekunden", "second": "1 Sekunde", "minutes": "{n} Minuten", "minute": "1 Minute",
    "hours": "{n} Stunden", "hour": "1 Stunde", "minute_word": "Minute", "minutes_word": "Minuten",
    "metres": "{n} Meter", "metre": "1 Meter", "kilometres": "{n} Kilometer", "kilometre": "1 Kilometer",
    "miles": "{n} Meilen", "mile": "1 Meile", "per_km": "{time} pro Kilometer", "per_mile": "{time} pro Meile",
    "per": "{time} pro {distance}", "by": "{a} mal {b}",
    "effort.easy": "locker", "effort.steady": "gleichmäßig", "effort.hard": "hart", "effort.max": "volle Kraft",
})

POOLS = make_pools(
    form=("Aufrecht, Schultern locker.", "Lockere Hände, lockerer Kiefer.", "Arme aktiv, Ellbogen nach hinten.",
          "Groß laufen, aus der Hüfte."),
    turnover=("Schnelle, leichte Schritte.", "Füße landen unter dir.", "Schnelle Füße, weiche Landung."),
    mental=("Du bist stärker, als du denkst.", "Denk daran, warum du läufst.", "Eine Wiederholung nach der anderen.",
            "Ruhig ist schnell.", "Genau hier wirst du schneller.", "Atmen, und dranbleiben."),
    strength=("Kontrolliere die Bewegung.", "Spann den Bauch an.", "Ruhig atmen.", "Qualität vor Tempo."),
    hills=("Aus den Knöcheln nach vorne lehnen.", "Kurze, schnelle Schritte bergauf.", "Blick nach oben, Arme aktiv."),
    easy=("Ganz locker.", "Entspannen und genießen."),
    stairs=("Leicht auf den Stufen.", "Knie hoch."),
)

WORDS = {"at": "bei", "with": "mit", "times": "{n} mal", "out_of": "{a} von {b}", "half": "halb", "per": "pro"}

PACK = Pack("de", PHRASES, POOLS, WORDS)
