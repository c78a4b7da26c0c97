"""Real protocol peers for notification tests: an HTTP receiver, an MQTT subscriber, an SMTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import paho.mqtt.client as mqtt


class WebhookReceiver:
    """An HTTP server recording every POST; answers `failures` times with 503 before accepting."""

    def __init__(self, failures: int = 0):
        self.received: list[dict] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append({"body": body, "headers": dict(self.headers)})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def verified(self, secret: str) -> list[dict]:
        """The bodies whose X-TMF-Signature checks out with the secret, parsed."""
        good = []
        for item in self.received:
            expected = "sha256=" + hmac.new(secret.encode(), item["body"], hashlib.sha256).hexdigest()
            if hmac.compare_digest(expected, item["headers"].get("X-TMF-Signature", "")):
                good.append(json.loads(item["body"]))
        return good


class MqttSubscriber:
    """Subscribed to tmf/# on the local Mosquitto broker; records (topic, payload, qos)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 1883):
        self.messages: list[tuple[str, dict, int]] = []
        self._subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda c, *_: c.subscribe("tmf/#", qos=1)
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, json.loads(m.payload), m.qos))
        self.host, self.port = host, port

    def __enter__(self):
        self.client.connect(self.host, self.port)
        self.client.loop_start()
        assert self._subscribed.wait(10), "could not subscribe to the broker"
        return self

    def __exit__(self, *exc):
        self.client.loop_stop()
        self.client.disconnect()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
