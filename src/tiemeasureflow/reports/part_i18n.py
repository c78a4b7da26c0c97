"""Italian and English wording of the per-part inspection report and the measurement summary."""

from __future__ import annotations

PART_STRINGS: dict[str, dict[str, str]] = {
    "part_title": {"it": "Rapporto di collaudo", "en": "Inspection report"},
    "part_number": {"it": "Codice parte", "en": "Part number"},
    "plan": {"it": "Piano", "en": "Plan"},
    "attempt": {"it": "Tentativo", "en": "Attempt"},
    "run_status": {"it": "Esito del pezzo", "en": "Part result"},
    "started": {"it": "Inizio", "en": "Started"},
    "finished": {"it": "Fine", "en": "Finished"},
    "run_id": {"it": "Id esecuzione", "en": "Run id"},
    "times_in": {"it": "Orari nel fuso dello stabilimento ({zone}).",
                 "en": "Times in the plant's time zone ({zone})."},
    "balloon": {"it": "Pallino", "en": "Balloon"},
    "lower": {"it": "Inf.", "en": "Lower"},
    "upper": {"it": "Sup.", "en": "Upper"},
    "gauge": {"it": "Strumento", "en": "Gauge"},
    "not_measured": {"it": "non misurata", "en": "not measured"},
    "characteristics": {"it": "Caratteristiche", "en": "Characteristics"},
    "test_cases": {"it": "Casi di prova", "en": "Test cases"},
    "part_correction": {"it": "Pallino {balloon}: {old} sostituito da {new}, da {who}, {when}: {why}",
                        "en": "Balloon {balloon}: {old} replaced by {new}, by {who}, {when}: {why}"},
    "drawing": {"it": "Disegno", "en": "Drawing"},
    "in_progress": {"it": "In corso", "en": "In progress"},
    "aborted": {"it": "Interrotto", "en": "Aborted"},
    # The measurement report's per-characteristic summary.
    "by_characteristic": {"it": "Riepilogo per caratteristica", "en": "Summary by characteristic"},
    "minimum": {"it": "Min", "en": "Min"},
    "maximum": {"it": "Max", "en": "Max"},
    "fails": {"it": "Non conf.", "en": "Fails"},
    "detail_off": {
        "it": "Tabella dettagliata non inclusa (detail=true la aggiunge, al massimo {limit} righe).",
        "en": "Detailed table not included (detail=true adds it, at most {limit} rows).",
    },
    "detail_limit": {
        "it": "La tabella dettagliata mostra al massimo {limit} righe: qui le prime {shown} di {total} misure; "
              "l'esportazione CSV/XLSX le contiene tutte.",
        "en": "The detailed table shows at most {limit} rows: here the first {shown} of {total} measurements; "
              "the CSV/XLSX export holds them all.",
    },
    "cpk_note": {"it": "Cpk con σ entro da escursioni mobili, limiti della versione corrente.",
                 "en": "Cpk with σ within from moving ranges, limits of the current version."},
}
