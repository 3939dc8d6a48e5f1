"""French: the coach's phrases, prompts and the normaliser's words."""

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.phrases import with_neutral
from audiocoach.coaching.prompt_pools import make_pools

PHRASES = with_neutral({
    "kind.warmup": "Échauffement", "kind.run": "Course", "kind.stride": "Accélération", "kind.hill": "Côte",
    "kind.stairs": "Escaliers", "kind.jog": "Trot", "kind.walk": "Marche", "kind.rest": "Repos",
    "kind.cooldown": "Retour au calme",
    "rep": "Répétition {rep} sur {reps}", "rep.stride": "Accélération {rep} sur {reps}",
    "rep.hill": "Côte {rep} sur {reps}", "last_rep": "La dernière.", "round": "Tour {round} sur {rounds}",
    "go": "Partez !",
    "summary": "{main}, environ {duration}.", "summary.plain": "Environ {duration}.",
    "summary.repeat": "{reps} fois {length}", "summary.rounds": "{reps} tours", "next": "Ensuite : {what}.",
    "halfway": "Mi-parcours.", "halfway.long": "Mi-parcours.", "remaining": "Encore {time}.",
    "remaining.short": "Encore {time}.", "switch": "Changez de côté.", "cadence": "Cadence {spm}.",
    "aim": "objectif {time}", "at_pace": "à l'allure de {pace}",
    "outro": "Terminé : {main} en {duration}. Beau travail. Étirez-vous, et buvez un peu d'eau.",
    "outro.plain": "Terminé : {duration}. Beau travail. Étirez-vous, et buvez un peu d'eau.",
    "seconds": "{n} secondes", "second": "une seconde", "minutes": "{n} minutes", "minute": "une minute",
    "hours": "{n} heures", "hour": "une heure", "minute_word": "minute", "minutes_word": "minutes",
    "metres": "{n} mètres", "metre": "un mètre", "kilometres": "{n} kilomètres", "kilometre": "un kilomètre",
    "miles": "{n} miles", "mile": "un mile", "per_km": "{time} au kilomètre", "per_mile": "{time} au mile",
    "per": "{time} pour {distance}", "by": "{a} fois {b}",
    "effort.easy": "facile", "effort.steady": "régulier", "effort.hard": "dur", "effort.max": "à fond",
})

POOLS = make_pools(
    form=("Grand, les épaules relâchées.", "Mains souples, mâchoire détendue.", "Les bras actifs, coudes en arrière.",
          "Cours grand, depuis les hanches."),
    turnover=("Pas rapides et légers.", "Les pieds sous toi.", "Pieds rapides, appuis légers."),
    mental=("Tu es plus fort que tu ne le crois.", "Rappelle-toi pourquoi tu cours.", "Une répétition à la fois.",
            "La fluidité, c'est la vitesse.", "C'est ici que tu progresses.", "Respire, et accroche-toi."),
    strength=("Contrôle le mouvement.", "Gaine le ventre.", "Respire calmement.", "La qualité avant la vitesse."),
    hills=("Penche-toi depuis les chevilles.", "Petits pas rapides dans la côte.", "Regard haut, bras actifs."),
    easy=("Tout en douceur.", "Détends-toi et profite."),
    stairs=("Léger sur les marches.", "Monte les genoux."),
)

WORDS = {"at": "à", "with": "avec", "times": "{n} fois", "out_of": "{a} sur {b}", "half": "demi", "per": "par"}

PACK = Pack("fr", PHRASES, POOLS, WORDS)
