"""Spanish: the coach's phrases, prompts and the normaliser's words."""

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.phrases import with_neutral
from audiocoach.coaching.prompt_pools import make_pools

PHRASES = with_neutral({
    "kind.warmup": "Calentamiento", "kind.run": "Carrera", "kind.stride": "Progresivo", "kind.hill": "Cuesta",
    "kind.stairs": "Escaleras", "kind.jog": "Trote", "kind.walk": "Caminar", "kind.rest": "Descanso",
    "kind.cooldown": "Vuelta a la calma",
    "rep": "Repetición {rep} de {reps}", "rep.stride": "Progresivo {rep} de {reps}",
    "rep.hill": "Cuesta {rep} de {reps}", "last_rep": "La última.", "round": "Ronda {round} de {rounds}",
    "go": "¡Ya!",
    "summary": "{main}, alrededor de {duration}.", "summary.plain": "Alrededor de {duration}.",
    "summary.repeat": "{reps} por {length}", "summary.rounds": "{reps} rondas", "next": "Siguiente: {what}.",
    "halfway": "Mitad.", "halfway.long": "Vamos por la mitad.", "remaining": "{time} para terminar.",
    "remaining.short": "{time}.", "switch": "Cambia de lado.", "cadence": "Cadencia {spm}.",
    "aim": "objetivo {time}", "at_pace": "a ritmo de {pace}",
    "outro": "Terminado: {main} en {duration}. Buen trabajo. Estira, y bebe un poco de agua.",
    "outro.plain": "Terminado: {duration}. Buen trabajo. Estira, y bebe un poco de agua.",
    "seconds": "{n} segundos", "second": "un segundo", "minutes": "{n} minutos", "minute": "un minuto",
    "hours": "{n} horas", "hour": "una hora", "minute_word": "minuto", "minutes_word": "minutos",
    "metres": "{n} metros", "metre": "un metro", "kilometres": "{n} kilómetros", "kilometre": "un kilómetro",
    "miles": "{n} millas", "mile": "una milla", "per_km": "{time} por kilómetro", "per_mile": "{time} por milla",
    "per": "{time} cada {distance}", "by": "{a} por {b}",
    "effort.easy": "suave", "effort.steady": "constante", "effort.hard": "fuerte", "effort.max": "a tope",
})

POOLS = make_pools(
    form=("Postura alta, hombros sueltos.", "Manos sueltas, mandíbula relajada.", "Brazos activos, codos atrás.",
          "Corre alto desde la cadera."),
    turnover=("Pasos rápidos y ligeros.", "Los pies caen debajo de ti.", "Pies rápidos, aterrizaje suave."),
    mental=("Eres más fuerte de lo que crees.", "Recuerda por qué corres.", "Una repetición cada vez.",
            "Suave es rápido.", "Aquí es donde te haces más rápido.", "Respira, y aguanta."),
    strength=("Controla el movimiento.", "Aprieta el abdomen.", "Respira con calma.", "Calidad antes que velocidad."),
    hills=("Inclínate desde los tobillos.", "Pasos cortos y rápidos cuesta arriba.", "Mirada arriba, brazos activos."),
    easy=("Con calma.", "Relájate y disfruta."),
    stairs=("Ligero en los escalones.", "Sube las rodillas."),
)

WORDS = {"at": "a", "with": "con", "times": "{n} veces", "out_of": "{a} de {b}", "half": "medio", "per": "por"}

PACK = Pack("es", PHRASES, POOLS, WORDS)
