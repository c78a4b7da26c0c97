"""ORM classes, one module per aggregate; importing this registers them all on Base.metadata."""

from .alarm import Alarm, AssignableCause
from .archive import Archive, ArchivedRun
from .audit import AuditEvent, AuditHead
from .base import Base, utcnow
from .device import DeviceAuthorization, StandToken
from .fai import FaiCharacteristicNote, FaiForm2Row, FaiRun, FirstArticle
from .file import StoredFile
from .gauge import CharacteristicGaugeRule, Gauge, GaugeCalibration, MsaStudy
from .hardpy import HardpyCase, HardpyMeasurement, HardpyReport, RunDutInfo
from .idempotency import IdempotencyKey
from .imports import ImportRecord
from .measurement import Measurement
from .notification import Delivery, Event, Webhook, WorkerCursor
from .recipe import Characteristic, Recipe, RecipeVersion, Subtask, Task
from .run import Run, TestedDut
from .setting import Setting
from .shift import Shift
from .spc import ControlLimitSet, RuleConfig
from .station import DEFAULT_STATION_CODE, Station, StationRecipeAssignment
from .user import ApiKey, User

__all__ = [
    "DEFAULT_STATION_CODE", "ApiKey", "AuditEvent", "AuditHead", "Base",
    "Characteristic", "Measurement", "Recipe", "RecipeVersion", "Run", "Setting", "Station",
    "StationRecipeAssignment", "StoredFile", "Subtask", "Task", "TestedDut", "User", "utcnow",
    "HardpyCase", "HardpyMeasurement", "HardpyReport", "RunDutInfo", "ControlLimitSet", "RuleConfig", "Shift",
    "Alarm", "AssignableCause", "Delivery", "Event", "Webhook", "WorkerCursor",
    "CharacteristicGaugeRule", "Gauge", "GaugeCalibration", "MsaStudy", "DeviceAuthorization", "StandToken", "IdempotencyKey",
    "FaiCharacteristicNote", "FaiForm2Row", "FaiRun", "FirstArticle",
    "ImportRecord", "Archive", "ArchivedRun",
]
