"""One step of a signed-in HardPy stand, run in its keyring session; prints one JSON line with what it saw.

Usage: hardpy_stand.py tokens | upload SERIAL | read RUN_ID  (in the folder holding hardpy.toml)
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

from hardpy import StandCloudLoader, StandCloudReader
from hardpy.common.config import ConfigManager
from hardpy.common.stand_cloud.connector import StandCloudConnector
from hardpy.common.stand_cloud.exception import StandCloudError
from hardpy.common.stand_cloud.token_manager import TokenManager

from tests.public_api.test_hardpy_clients import _report

warnings.simplefilter("ignore")  # HardPy does not verify the self-signed certificate and says so


def main() -> None:
    config = ConfigManager().read_config(Path.cwd())
    address = config.stand_cloud.address
    step, args = sys.argv[1], sys.argv[2:]
    if step == "tokens":
        manager = TokenManager(address)
        access = manager.read_access_token()
        result = {"access_token": access.access_token, "refresh_token": manager.read_refresh_token()}
    elif step == "upload":
        try:
            response = StandCloudLoader().load(_report(args[0]))
            result = {"status": response.status_code, "body": response.json()}
        except StandCloudError as exc:
            result = {"refused": str(exc)}
    elif step == "sync":
        # What HardPy's synchronizer does at the end of a run: health check, then upload, on one loader.
        loader = StandCloudLoader()
        try:
            health = loader.healthcheck()
            response = loader.load(_report(args[0]))
            result = {"health": health.status_code, "status": response.status_code, "body": response.text}
        except Exception as exc:  # reported to the test, which shows it
            import traceback
            result = {"refused": repr(exc), "trace": traceback.format_exc()}
    elif step == "read":
        reader = StandCloudReader(StandCloudConnector(address))
        run_id = args[0]
        result = {
            "run": reader.test_run(run_id).json(),
            "listed": [r["test_run_id"] for r in reader.test_run(params={"part_number": "BOARD-1"}).json()],
            "failed": reader.request(f"test_run/{run_id}/failed_case").json(),
            "duts": reader.tested_dut({"firmware_version": "1.2.3"}).json(),
        }
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
