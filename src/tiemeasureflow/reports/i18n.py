"""Italian and English wording and number/date formats of the PDF reports."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from .part_i18n import PART_STRINGS

LANGUAGES = ("it", "en")
DEFAULT_LANGUAGE = "it"

STRINGS: dict[str, dict[str, str]] = {
    "spc_title": {"it": "Rapporto SPC", "en": "SPC report"},
    "measurements_title": {"it": "Rapporto misure", "en": "Measurement report"},
    "page_of": {"it": "Pagina {page} di {pages}", "en": "Page {page} of {pages}"},
    "generated": {"it": "Generato il {at} da {by}", "en": "Generated at {at} by {by}"},
    "recipe": {"it": "Ricetta", "en": "Recipe"},
    "versions": {"it": "Versioni", "en": "Versions"},
    "version": {"it": "Versione", "en": "Version"},
    "released": {"it": "Rilascio firmato", "en": "Signed release"},
    "characteristic": {"it": "Caratteristica", "en": "Characteristic"},
    "unit": {"it": "Unità", "en": "Unit"},
    "nominal": {"it": "Nominale", "en": "Nominal"},
    "tolerance": {"it": "Tolleranza", "en": "Tolerance"},
    "warning_limits": {"it": "Limiti di avviso", "en": "Warning limits"},
    "none": {"it": "nessuno", "en": "none"},
    "not_set": {"it": "non definito", "en": "not set"},
    "filters": {"it": "Filtri", "en": "Filters"},
    "no_filters": {"it": "nessuno", "en": "none"},
    "sample_size": {"it": "Numerosità", "en": "Sample size"},
    "period": {"it": "Periodo", "en": "Period"},
    "capability": {"it": "Capacità di processo", "en": "Process capability"},
    "index": {"it": "Indice", "en": "Index"},
    "value": {"it": "Valore", "en": "Value"},
    "ci95": {"it": "IC 95%", "en": "95% CI"},
    "ci": {"it": "IC {p}%", "en": "{p}% CI"},
    "one_sided": {"it": "Unilat. {p}%", "en": "1-sided {p}%"},
    "distribution_normal": {"it": "Indici P secondo la distribuzione normale.",
                            "en": "P indices by normal theory."},
    "distribution_percentile": {"it": "Indici P con il metodo dei percentili (ISO 22514-2) sulla distribuzione {name}; "
                                      "indici C e intervalli solo per la normale.",
                                "en": "P indices by the percentile method (ISO 22514-2) on the {name} distribution; "
                                      "C indices and intervals by normal theory only."},
    "few_values": {"it": "Solo {n} valori: indici incerti, leggerli con gli intervalli.",
                   "en": "Only {n} values: the indices are uncertain, read them with their intervals."},
    "fitted_curve": {"it": "Curva {name}", "en": "{name} curve"},
    "dist_lognormal": {"it": "lognormale", "en": "lognormal"},
    "dist_weibull": {"it": "Weibull (2 parametri)", "en": "Weibull (2-parameter)"},
    "dist_weibull3": {"it": "Weibull (3 parametri)", "en": "Weibull (3-parameter)"},
    "dist_gamma": {"it": "gamma", "en": "gamma"},
    "dist_folded_normal": {"it": "normale ripiegata", "en": "folded normal"},
    "dist_rayleigh": {"it": "Rayleigh", "en": "Rayleigh"},
    "dist_boxcox": {"it": "trasformazione di Box-Cox", "en": "Box-Cox transformation"},
    "dist_johnson": {"it": "trasformazione di Johnson", "en": "Johnson transformation"},
    "rating": {"it": "Giudizio", "en": "Rating"},
    "band_good": {"it": "capace", "en": "capable"},
    "band_marginal": {"it": "marginale", "en": "marginal"},
    "band_poor": {"it": "non capace", "en": "not capable"},
    "statistics": {"it": "Statistiche", "en": "Statistics"},
    "mean": {"it": "Media", "en": "Mean"},
    "sigma_within": {"it": "σ entro ({estimator})", "en": "σ within ({estimator})"},
    "sigma_overall": {"it": "σ complessiva", "en": "σ overall"},
    "ppm_expected_within": {"it": "PPM attesi entro (sotto / sopra)", "en": "Expected PPM within (below / above)"},
    "ppm_expected_overall": {"it": "PPM attesi complessivi (sotto / sopra)",
                             "en": "Expected PPM overall (below / above)"},
    "ppm_observed": {"it": "PPM osservati (sotto / sopra)", "en": "Observed PPM (below / above)"},
    "normality": {"it": "Normalità (Anderson-Darling)", "en": "Normality (Anderson-Darling)"},
    "normality_value": {"it": "A² = {stat}, p = {p}", "en": "A² = {stat}, p = {p}"},
    "normality_too_few": {"it": "non calcolata (meno di 8 valori)", "en": "not computed (fewer than 8 values)"},
    "capability_missing": {"it": "Indici non calcolabili: {reason}", "en": "Indices not computable: {reason}"},
    "bands_legend": {
        "it": "Fasce: ≥ 1,33 capace (verde); 1,00–1,33 marginale (ambra); < 1,00 non capace (rosso).",
        "en": "Bands: ≥ 1.33 capable (green); 1.00–1.33 marginal (amber); < 1.00 not capable (red).",
    },
    "reason_few_values": {"it": "servono almeno 2 valori (selezionati: {n})",
                          "en": "at least 2 values are needed ({n} selected)"},
    "reason_no_limits": {"it": "la caratteristica non ha limiti di tolleranza",
                         "en": "the characteristic has no tolerance limits"},
    "reason_no_spread": {"it": "dispersione nulla: tutti i valori sono uguali",
                         "en": "no spread: every value is the same"},
    "reason_subgroup_too_large": {
        "it": "sottogruppi di {size} ma solo {n} valori selezionati: nessun sottogruppo completo",
        "en": "subgroups of {size} but only {n} values selected: no complete subgroup",
    },
    "note_left_out": {"it": "Gli ultimi {count} valori non completano un sottogruppo di {size} e sono esclusi.",
                      "en": "The last {count} values do not fill a subgroup of {size} and are left out."},
    "note_no_limits": {"it": "Limiti di controllo non calcolabili: {reason}.",
                       "en": "Control limits cannot be computed: {reason}."},
    "note_no_limits_plain": {"it": "Limiti di controllo non calcolabili.", "en": "Control limits cannot be computed."},
    "histogram": {"it": "Istogramma", "en": "Histogram"},
    "frequency": {"it": "Frequenza", "en": "Count"},
    "chart_not_drawable": {"it": "Grafico non disegnabile: valori ai limiti della doppia precisione",
                           "en": "Chart cannot be drawn: values at the limits of double precision"},
    "normal_curve": {"it": "Curva normale", "en": "Normal curve"},
    "control_chart": {"it": "Carta di controllo", "en": "Control chart"},
    "sample": {"it": "Campione", "en": "Sample"},
    "subgroup": {"it": "Sottogruppo", "en": "Subgroup"},
    "subgroup_size": {"it": "Dimensione sottogruppo", "en": "Subgroup size"},
    # What an X-bar subgroup is: consecutive values, or what was produced together.
    "subgroups_consecutive": {"it": "sottogruppi di {n} valori consecutivi",
                              "en": "subgroups of {n} consecutive values"},
    "note_own_limits": {"it": "I limiti in tabella sono quelli del sottogruppo più recente; il grafico mostra "
                                "i limiti di ciascun sottogruppo.",
                        "en": "The limits in the table are the newest subgroup's; the chart shows each subgroup's own."},
    "subgroups_by_run": {"it": "sottogruppi per ciclo", "en": "subgroups by run"},
    "subgroups_by_lot": {"it": "sottogruppi per lotto", "en": "subgroups by lot"},
    "subgroups_by_part": {"it": "sottogruppi per pezzo (matricola)", "en": "subgroups by part (serial)"},
    "subgroups_by_window": {"it": "sottogruppi per finestra di {m} minuti", "en": "subgroups by {m}-minute window"},
    "subgroups_equal": {"it": "{count}, di {n} valori ciascuno", "en": "{count}, of {n} values each"},
    "subgroups_unequal": {"it": "{count}, da {low} a {high} valori, ciascuno con i propri limiti",
                          "en": "{count}, of {low} to {high} values, each with its own limits"},
    "chart_imr": {"it": "Individuali ed escursioni mobili (I-MR)", "en": "Individuals and moving range (I-MR)"},
    "chart_xbar_r": {"it": "Medie ed escursioni (X̄-R)", "en": "Means and ranges (X̄-R)"},
    "chart_xbar_s": {"it": "Medie e deviazioni standard (X̄-S)", "en": "Means and standard deviations (X̄-S)"},
    "series_i": {"it": "Individuali", "en": "Individuals"},
    "series_mr": {"it": "Escursione mobile", "en": "Moving range"},
    "series_xbar": {"it": "Media sottogruppo", "en": "Subgroup mean"},
    "series_r": {"it": "Escursione", "en": "Range"},
    "series_s": {"it": "Deviazione standard", "en": "Standard deviation"},
    "out_of_control": {"it": "Fuori controllo", "en": "Out of control"},
    "points_shown": {"it": "Ultimi {shown} punti di {total}", "en": "Last {shown} points of {total}"},
    "rules_we": {"it": "Regole Western Electric 1-4", "en": "Western Electric rules 1-4"},
    "rules_nelson": {"it": "Regole di Nelson 1-8", "en": "Nelson rules 1-8"},
    "violations": {"it": "Violazioni delle regole", "en": "Rule violations"},
    "no_violations": {"it": "Nessun punto fuori controllo.", "en": "No point out of control."},
    # Alarms of the period and the limits used.
    "alarms": {"it": "Allarmi del periodo e reazione", "en": "Alarms of the period and reaction"},
    "alarm": {"it": "Allarme", "en": "Alarm"},
    "alarm_what": {"it": "Tipo / valore", "en": "Kind / value"},
    "alarm_cause": {"it": "Causa", "en": "Cause"},
    "alarm_action": {"it": "Azione", "en": "Action"},
    "alarm_by": {"it": "Chi", "en": "Who"},
    "alarm_response": {"it": "Risposta", "en": "Response"},
    "alarm_open": {"it": "APERTO", "en": "OPEN"},
    "alarms_more": {"it": "Altri {count} allarmi precedenti non elencati (vedere /api/alarms).",
                    "en": "{count} earlier alarms not listed (see /api/alarms)."},
    "limits_used": {"it": "Limiti di controllo usati: {source}.", "en": "Control limits used: {source}."},
    "limits_computed": {"it": "calcolati dalla selezione", "en": "computed from the selection"},
    "limits_frozen": {"it": "insieme congelato n. {id}", "en": "frozen set no. {id}"},
    "violations_more": {"it": "Altri {count} punti precedenti non elencati (vedere l'API di statistica).",
                        "en": "{count} earlier points not listed (see the statistics API)."},
    "point": {"it": "Punto", "en": "Point"},
    "time": {"it": "Data/ora (UTC)", "en": "Time (UTC)"},
    "rules": {"it": "Regole", "en": "Rules"},
    "serial": {"it": "Matricola", "en": "Serial"},
    "lot": {"it": "Lotto", "en": "Lot"},
    "operator": {"it": "Operatore", "en": "Operator"},
    "station": {"it": "Stazione", "en": "Station"},
    "date_from": {"it": "Dal", "en": "From"},
    "date_to": {"it": "Al", "en": "To"},
    "chart": {"it": "Carta", "en": "Chart"},
    "rule_set": {"it": "Regole", "en": "Rules"},
    "result": {"it": "Esito", "en": "Result"},
    "deviation": {"it": "Scost.", "en": "Dev."},
    "approval": {"it": "Approvazione", "en": "Approval"},
    "reviewed_by": {"it": "Verificato da", "en": "Reviewed by"},
    "date": {"it": "Data", "en": "Date"},
    "signature": {"it": "Firma", "en": "Signature"},
    "summary": {"it": "Riepilogo", "en": "Summary"},
    "total": {"it": "Totale", "en": "Total"},
    "count": {"it": "Numero", "en": "Count"},
    "percentage": {"it": "Percentuale", "en": "Percentage"},
    "pass": {"it": "Conforme", "en": "Pass"},
    "warning": {"it": "Avviso", "en": "Warning"},
    "fail": {"it": "Non conforme", "en": "Fail"},
    "corrected": {"it": "corretta", "en": "corrected"},
    "corrections": {"it": "Correzioni", "en": "Corrections"},
    "correction_line": {
        "it": "Misura {id} ({serial}, #{marker}): {old} sostituito da {new}, da {who}: {why}",
        "en": "Measurement {id} ({serial}, #{marker}): {old} replaced by {new}, by {who}: {why}",
    },
    "measurements": {"it": "Misure", "en": "Measurements"},
}

STRINGS.update(PART_STRINGS)

RULE_TEXT: dict[str, dict[str, str]] = {
    "we": {
        "it": "1: un punto oltre 3σ; 2: 2 su 3 oltre 2σ dallo stesso lato; 3: 4 su 5 oltre 1σ dallo stesso lato; "
              "4: 8 punti consecutivi dallo stesso lato della linea centrale.",
        "en": "1: one point beyond 3σ; 2: 2 of 3 beyond 2σ on one side; 3: 4 of 5 beyond 1σ on one side; "
              "4: 8 points in a row on one side of the centre line.",
    },
    "nelson": {
        "it": "1: un punto oltre 3σ; 2: 9 punti dallo stesso lato; 3: 6 punti in crescita o calo; "
              "4: 14 punti alternati; 5: 2 su 3 oltre 2σ; 6: 4 su 5 oltre 1σ; 7: 15 punti entro 1σ; "
              "8: 8 punti oltre 1σ su entrambi i lati.",
        "en": "1: one point beyond 3σ; 2: 9 points on one side; 3: 6 points rising or falling; "
              "4: 14 points alternating; 5: 2 of 3 beyond 2σ; 6: 4 of 5 beyond 1σ; 7: 15 points within 1σ; "
              "8: 8 points beyond 1σ on both sides.",
    },
}


class Translator:
    """Wording and formats of one language."""

    def __init__(self, language: str | None):
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **values) -> str:
        """The text for `key` in this language, with `values` filled in."""
        text = STRINGS[key][self.language]
        return text.format(**values) if values else text

    def rule_legend(self, rules: str) -> str:
        """What each rule number of a rule set means."""
        return RULE_TEXT.get(rules, RULE_TEXT["we"])[self.language]

    def number(self, value: float | None, decimals: int | None = None, significant: int = 6) -> str:
        """A number with fixed decimals or up to `significant` digits; a dash when missing."""
        if value is None or not math.isfinite(value):
            return "–"
        if decimals is not None:
            text = f"{value:.{decimals}f}"
        else:
            text = _significant(value, significant)
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        return text.replace(".", ",") if self.language == "it" else text

    def when(self, value: datetime | None, seconds: bool = True) -> str:
        """A UTC time in the language's usual order."""
        if value is None:
            return "–"
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        pattern = "%d/%m/%Y %H:%M" if self.language == "it" else "%Y-%m-%d %H:%M"
        return value.strftime(pattern + (":%S" if seconds else ""))

    def filters(self, filters: list[tuple[str, str | datetime]]) -> str:
        """"Station: ST-01; From: ..." in this language, or "none"."""
        parts = [f"{self(key)}: {self.when(value) + ' UTC' if isinstance(value, datetime) else value}"
                 for key, value in filters]
        return "; ".join(parts) or self("no_filters")

    def note(self, note) -> str:
        """A Note in this language; its key as text when it is not a wording key."""
        if note.key not in STRINGS:
            return note.key
        values = {k: self.note(v) if hasattr(v, "key") else v for k, v in note.values.items()}
        return self(note.key, **values)

    def result(self, judgment: str) -> str:
        """Pass / warning / fail in words."""
        return self(judgment) if judgment in ("pass", "warning", "fail") else judgment


def _significant(value: float, digits: int) -> str:
    """Up to `digits` significant digits in plain (never exponent) notation, trailing zeros dropped."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
