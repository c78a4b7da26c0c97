"""An alarm's message in the page language, read back from the English the server stored it in."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from .i18n import decimal_symbol
from .spc_words import reason_text, rule_text, rules_wording

NUMBER = r"-?[\d.]+(?:e[-+]?\d+)?"
# The other kinds of alarm, as the server words them; the figures are kept, the words translated.
_WORDED = (
    (re.compile(rf"Value (?P<value>{NUMBER}) is out of tolerance"),
     lambda m: _("Value %(value)s is out of tolerance", value=_decimal(m["value"]))),
    (re.compile(rf"Cpk (?P<cpk>{NUMBER}) over the last (?P<n>\d+) values is below the target (?P<target>{NUMBER})"),
     lambda m: _("Cpk %(cpk)s over the last %(n)s values is below the target %(target)s",
                 cpk=_decimal(m["cpk"]), n=m["n"], target=_decimal(m["target"]))),
    (re.compile(rf"(?P<chart>EWMA|CUSUM) chart signals a shift of the mean from (?P<target>{NUMBER})"),
     lambda m: _("%(chart)s chart signals a shift of the mean from %(target)s",
                 chart=m["chart"], target=_decimal(m["target"]))),
)
RULE_PART = re.compile(r"rule (?P<rule>\d+): (?P<description>.+)")


def _decimal(number: str) -> str:
    return number.replace(".", decimal_symbol())


def _english_patterns(rule_set: str) -> dict[int, re.Pattern[str]]:
    # The run rules' English wording (what the server stored), with K and K + 1 as the parts to read.
    with force_locale("en"):
        english = rules_wording().get(rule_set, {})
    return {rule: re.compile(re.escape(text).replace(re.escape("%(k)s"), f"(?P<k>{NUMBER})")
                             .replace(re.escape("%(k1)s"), NUMBER))
            for rule, text in english.items()}


def _rule_alarm(rule_set: str, message: str) -> str | None:
    """'rule 1: ...; rule 5: ...' in the page language, or None when a part is not the wording known here."""
    patterns = _english_patterns(rule_set)
    worded = []
    for part in message.split("; "):
        match = RULE_PART.fullmatch(part)
        pattern = patterns.get(int(match["rule"])) if match else None
        found = pattern.fullmatch(match["description"]) if match and pattern else None
        if not match or not found:
            return None
        rule = int(match["rule"])
        worded.append(_("Rule %(n)s", n=rule) + ": " + rule_text(rule_set, rule, float(found["k"])))
    return "; ".join(worded)


def alarm_text(alarm: dict[str, Any]) -> str:
    """What the alarm says, in the page language; a message this client does not know as the server stored it."""
    message = str(alarm.get("message") or "")
    rule = str(alarm.get("rule") or "")
    if alarm.get("kind") == "rule" and ":" in rule:
        return _rule_alarm(rule.split(":", 1)[0], message) or message
    for pattern, words in _WORDED:
        match = pattern.fullmatch(message)
        if match:
            return words(match)
    return reason_text(message)


def init_app(app: Flask) -> None:
    """Offer the wording to the templates."""
    app.jinja_env.globals["alarm_text"] = alarm_text
