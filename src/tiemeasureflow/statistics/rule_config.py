"""Run rules per characteristic: which set (Western Electric or Nelson), which rules, Minitab's K values."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .. import spc
from ..audit.service import record, snapshot
from ..identity.principal import Principal
from ..kit.errors import Conflict, Unprocessable
from ..models import RuleConfig
from .limits_schemas import DRIFT_CHARTS, DriftAlarmData, RuleConfigData, RuleConfigUpdate
from .schemas import RULE_SETS, RuleInfo, RuleSet, RulesSource
from .scope import StatisticsFilters, resolve_characteristic
from .stored_words import one_of

AUDITED = ("characteristic_id", "rule_set", "enabled", "k_values", "secondary_rules", "drift_chart",
           "drift_parameters")


@dataclass(frozen=True)
class Rules:
    """The rules one chart applies."""

    rule_set: RuleSet = "we"
    enabled: tuple[int, ...] | None = None  # None: every rule of the set
    k_values: dict[int, float] = field(default_factory=dict)
    secondary: tuple[int, ...] = (1,)
    source: RulesSource = "default"


def rules_for(session: Session, characteristic_id: int, asked: RuleSet | None) -> Rules:
    """A rule set asked for in the query (all its rules), else the characteristic's configuration, else the default."""
    if asked is not None:
        return Rules(asked, source="query")
    config = session.get(RuleConfig, characteristic_id)
    if config is None:
        return Rules()
    return Rules(one_of(config.rule_set, RULE_SETS), tuple(config.enabled),
                 {int(r): k for r, k in config.k_values.items()}, tuple(config.secondary_rules), "characteristic")


def get_config(session: Session, recipe_id: int, subtask_id: int) -> RuleConfigData:
    """The characteristic's rules (the defaults when none are configured)."""
    scope = resolve_characteristic(session, StatisticsFilters(recipe_id, subtask_id))
    return _answer(scope.characteristic_id, session.get(RuleConfig, scope.characteristic_id))


def set_config(session: Session, data: RuleConfigUpdate, principal: Principal) -> RuleConfigData:
    """Store the characteristic's rules, audited."""
    scope = resolve_characteristic(session, StatisticsFilters(data.recipe_id, data.subtask_id))
    k_values = {int(rule): k for rule, k in data.k_values.items()}
    try:
        spc.check_k(data.rule_set, k_values)
        for rule in (*data.enabled, *data.secondary_rules):
            spc.describe(data.rule_set, rule)
    except (ValueError, KeyError) as error:
        message = str(error) if isinstance(error, ValueError) else f"rule {error} is not in rule set {data.rule_set}"
        # A K outside its range is a bad payload; a rule the chosen set does not have contradicts it.
        raise (Unprocessable if message.startswith("K of") else Conflict)(message) from None
    config = session.get(RuleConfig, scope.characteristic_id)
    old = snapshot(config, AUDITED) if config else None
    if config is None:
        config = RuleConfig(characteristic_id=scope.characteristic_id)
        session.add(config)
    config.rule_set = data.rule_set
    config.enabled = sorted(set(data.enabled))
    config.k_values = {str(r): k for r, k in sorted(k_values.items())}
    config.secondary_rules = sorted(set(data.secondary_rules))
    config.drift_chart = data.drift.chart if data.drift else None
    config.drift_parameters = data.drift.model_dump(exclude={"chart"}) if data.drift else None
    config.updated_by = principal.user_id
    session.flush()
    record(session, principal.actor, "update" if old else "create", "rule_config", scope.characteristic_id,
           old=old, new=snapshot(config, AUDITED))
    return _answer(scope.characteristic_id, config)


def _answer(characteristic_id: int, config: RuleConfig | None) -> RuleConfigData:
    rule_set: RuleSet
    if config is None:
        rule_set, enabled, k_values, secondary = "we", list(spc.DEFAULT_K["we"]), {}, [1]
    else:
        rule_set, enabled, secondary = one_of(config.rule_set, RULE_SETS), config.enabled, config.secondary_rules
        k_values = {int(r): k for r, k in config.k_values.items()}
    merged = {**spc.DEFAULT_K[rule_set], **k_values}
    return RuleConfigData(
        characteristic_id=characteristic_id, rule_set=rule_set, enabled=enabled,
        k_values={str(r): k for r, k in merged.items()}, secondary_rules=secondary, configured=config is not None,
        descriptions={str(r): spc.describe(rule_set, r, k) for r, k in merged.items()},
        drift=_drift(config),
    )


def _drift(config: RuleConfig | None) -> DriftAlarmData | None:
    """The EWMA or CUSUM chart whose signals raise alarms, when one is configured."""
    if config is None or not config.drift_chart:
        return None
    return DriftAlarmData(chart=one_of(config.drift_chart, DRIFT_CHARTS), **(config.drift_parameters or {}))


def rule_info(config: Rules, rule: int, count: int) -> RuleInfo:
    """A rule of the set in use: its number, K, wording and how many points it flagged."""
    k = config.k_values.get(rule, spc.DEFAULT_K[config.rule_set][rule])
    return RuleInfo(rule=rule, k=k, description=spc.describe(config.rule_set, rule, k), count=count)
